/* The Xapian peer of the search benchmark (Debian's libxapian): indexes the generated
 * records with a TermGenerator (each text with the stemmer of its language, Chinese as
 * CJK n-grams; title, summary and text weighted 5, 2, 1 through their wdf), the filter
 * values as boolean terms (XT type, XC country, XI instrument) and the record id as the
 * document data, and compacts the index; then parses each query with a QueryParser
 * (default AND, phrases, CJK n-grams, the stemmer of the query's language), filters,
 * ranks by BM25 and fetches the top 20, on 1 and more threads. Prints the lines of
 * common.h.
 *
 * usage: xapian_bench --db DIR --records FILE.ndjson --queries FILE.ndjson
 *                     [--seconds N] [--threads 1,2] */
#include <xapian.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common.h"

namespace {

std::atomic<int> errors_printed{0};

void report_error(const std::string &what)
{
	if (errors_printed.fetch_add(1) < 5)
		std::fprintf(stderr, "xapian: %s\n", what.c_str());
}

/* Xapian's stemmer for a language tag; "none" (no stemming) for Chinese and the unknown. */
Xapian::Stem stemmer_for(const char *language)
{
	static const std::map<std::string, std::string> names = {
		{"en", "english"}, {"fr", "french"}, {"es", "spanish"}, {"ru", "russian"}, {"ar", "arabic"},
	};
	std::string tag = language ? language : "";
	auto found = names.find(tag.substr(0, tag.find('-')));
	if (found == names.end())
		return Xapian::Stem("none");
	try {
		return Xapian::Stem(found->second);
	} catch (const Xapian::Error &) {
		return Xapian::Stem("none");
	}
}

/* Stemmers by language tag, made once: making one costs more than stemming a record. */
using Stemmers = std::map<std::string, Xapian::Stem>;

const Xapian::Stem &cached_stemmer(Stemmers &stemmers, const char *language)
{
	std::string tag = language ? language : "";
	auto found = stemmers.find(tag);
	if (found == stemmers.end())
		found = stemmers.emplace(tag, stemmer_for(language)).first;
	return found->second;
}

void index_field(Xapian::TermGenerator &generator, Stemmers &stemmers, const bx_bench_lstring &field,
                 Xapian::termcount weight)
{
	for (size_t i = 0; i < field.n_items; i++) {
		generator.set_stemmer(cached_stemmer(stemmers, field.items[i].language));
		generator.index_text(Xapian::Utf8Iterator(field.items[i].text, field.items[i].length), weight);
		generator.increase_termpos();
	}
}

/* Creates the database at path from records, timed: indexes into path.build, then
 * compacts it into path (as fts5_bench optimizes its index); prints the index line. */
int build_index(const char *path, const bx_bench_records &records)
{
	try {
		std::string build = std::string(path) + ".build";
		std::filesystem::remove_all(path);
		double begin = bx_bench_now();
		Xapian::WritableDatabase db(build, Xapian::DB_CREATE_OR_OVERWRITE);
		Xapian::TermGenerator generator;
		Stemmers stemmers;
		generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
		for (size_t i = 0; i < records.n_items; i++) {
			const bx_bench_record &record = records.items[i];
			Xapian::Document document;
			generator.set_document(document);
			index_field(generator, stemmers, record.title, 5);
			index_field(generator, stemmers, record.summary, 2);
			index_field(generator, stemmers, record.text, 1);
			document.add_boolean_term(std::string("XT") + record.type);
			for (size_t c = 0; c < record.n_countries; c++)
				document.add_boolean_term(std::string("XC") + record.countries[c]);
			for (size_t c = 0; c < record.n_instruments; c++)
				document.add_boolean_term(std::string("XI") + record.instruments[c]);
			document.set_data(record.id);
			db.add_document(document);
		}
		db.commit();
		double committed = bx_bench_now();
		db.compact(path);
		db.close();
		double end = bx_bench_now();
		std::filesystem::remove_all(build);
		std::printf("# xapian: add and commit %.2f s, compact %.2f s\n", committed - begin, end - committed);
		bx_bench_print_index("xapian", records.n_items, records.text_bytes, end - begin, bx_bench_disk_size(path));
		return 0;
	} catch (const Xapian::Error &error) {
		report_error(error.get_description());
		return -1;
	}
}

/* The state of one searching thread. */
struct Searcher {
	Xapian::Database db;
	Xapian::Enquire enquire;
	Xapian::QueryParser parser;
	Stemmers stemmers;

	explicit Searcher(const char *path) : db(path), enquire(db)
	{
		parser.set_database(db);
		parser.set_default_op(Xapian::Query::OP_AND);
		parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
	}
};

void *open_searcher(void *config, int thread)
{
	try {
		return new Searcher(static_cast<const char *>(config));
	} catch (const Xapian::Error &error) {
		report_error(error.get_description());
		return nullptr;
	}
}

void close_searcher(void *state)
{
	delete static_cast<Searcher *>(state);
}

/* Runs one query; fetches the record id of each of the top 20. Returns the hits or -1. */
int search(void *state, const bx_bench_query *query)
{
	Searcher &searcher = *static_cast<Searcher *>(state);
	try {
		searcher.parser.set_stemmer(cached_stemmer(searcher.stemmers, query->language));
		unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM;
		Xapian::Query parsed = searcher.parser.parse_query(query->q, flags);
		std::vector<Xapian::Query> filters;
		if (query->type)
			filters.emplace_back(std::string("XT") + query->type);
		if (query->country)
			filters.emplace_back(std::string("XC") + query->country);
		if (query->instrument)
			filters.emplace_back(std::string("XI") + query->instrument);
		if (!filters.empty())
			parsed = Xapian::Query(Xapian::Query::OP_FILTER, parsed,
			                       Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
		searcher.enquire.set_query(parsed);
		Xapian::MSet top = searcher.enquire.get_mset(0, 20);
		int hits = 0;
		for (Xapian::MSetIterator it = top.begin(); it != top.end(); ++it)
			if (!it.get_document().get_data().empty())
				hits++;
		return hits;
	} catch (const Xapian::Error &error) {
		report_error(std::string(query->q) + ": " + error.get_description());
		return -1;
	}
}

}  // namespace

int main(int argc, char **argv)
{
	bx_bench_options options;
	if (bx_bench_options_parse(argc, argv, &options)) {
		std::fprintf(stderr, "usage: xapian_bench %s\n", BX_BENCH_USAGE);
		return 2;
	}
	bx_bench_queries queries;
	if (bx_bench_queries_load(options.queries_path, &queries))
		return 1;
	int rc = 0;
	if (!bx_bench_index_kept(&options)) {
		bx_bench_records records;
		if (bx_bench_records_load(options.records_path, &records))
			return 1;
		rc = build_index(options.db_path, records);
		bx_bench_records_free(&records);
		if (rc == 0)
			bx_bench_index_keep(&options);
	}
	bx_bench_engine engine = {"xapian", const_cast<char *>(options.db_path), open_searcher, search, close_searcher};
	for (int i = 0; rc == 0 && i < options.n_threads; i++) {
		bx_bench_result result;
		rc = bx_bench_run(&engine, &queries, options.threads[i], options.seconds, &result);
		if (rc == 0)
			bx_bench_print_search("xapian", &result);
	}
	bx_bench_queries_free(&queries);
	return rc ? 1 : 0;
}
