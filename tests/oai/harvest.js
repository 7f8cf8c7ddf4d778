// Lists every record of an OAI-PMH provider with the third-party harvester `oai-pmh`
// (npm), following its resumption tokens, and prints one line per item:
// "<identifier> <datestamp> <deleted|present>". Used by tests/api/test_oai.py.
// Usage: node harvest.js BASE_URL [ListRecords|ListIdentifiers] [metadataPrefix]
// The package is found through NODE_PATH (build/npm/node_modules).
const { OaiPmh } = require('oai-pmh')

async function main () {
  const [baseUrl, verb = 'ListRecords', metadataPrefix = 'oai_dc'] = process.argv.slice(2)
  const provider = new OaiPmh(baseUrl, { retry: false })
  const items = verb === 'ListIdentifiers'
    ? provider.listIdentifiers({ metadataPrefix })
    : provider.listRecords({ metadataPrefix })
  for await (const item of items) {
    const header = verb === 'ListIdentifiers' ? item : item.header
    const deleted = header.$ && header.$.status === 'deleted'
    console.log(`${header.identifier} ${header.datestamp} ${deleted ? 'deleted' : 'present'}`)
  }
}

main().catch(error => {
  console.error(error.message || error)
  process.exit(1)
})
