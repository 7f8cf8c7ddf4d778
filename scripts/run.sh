#!/bin/sh
# make run: creates var/bioex.db on first use (vocabularies, formats, the sample records
# and an admin account), then serves it. Settings: BIOEX_DB, BIOEX_LISTEN.
set -eu
db=${BIOEX_DB:-var/bioex.db}
listen=${BIOEX_LISTEN:-127.0.0.1:8080}
password_file=$(dirname "$db")/admin-password.txt

if [ ! -f "$db" ]; then
	./bioex init --db "$db" --node demo --name "bioex demo node" --log-level warn
	./bioex import --db "$db" data/samples/*.ndjson
	umask 077
	head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$password_file"
	./bioex user add admin --role admin --db "$db" --password-file "$password_file"
fi

echo "bioex: serving $db"
if [ -f "$password_file" ]; then
	echo "bioex: sign in as admin with the password in $password_file:"
	echo "  curl -s -X POST http://$listen/api/v1/auth/login -H 'Content-Type: application/json' \\"
	echo "       -d '{\"username\":\"admin\",\"password\":\"'\$(cat $password_file)'\"}'"
fi
exec ./bioex serve --db "$db" --listen "$listen"
