# bioex — plain Makefile. Targets: all (./bioex), test, run, bench, fuzz, clean.
# make SANITIZE=address,undefined builds and tests with the sanitizers.

PKGS      := sqlite3 icu-uc icu-i18n libmicrohttpd jansson libsodium libcurl libxml-2.0
CC        ?= cc
WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS    ?= -O2 -g
CFLAGS    += -std=gnu11 -D_GNU_SOURCE -Isrc $(WARN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# The popcnt instruction where the machine that builds the node (and so runs it) has it:
# the search index counts bits in its inner loops (docs/search-index.md).
CFLAGS    += $(shell grep -qw popcnt /proc/cpuinfo 2>/dev/null && echo -mpopcnt)
LDLIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lpthread -lm
ifdef WERROR
CFLAGS    += -Werror
endif
ifdef SANITIZE
CFLAGS    += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS   += -fsanitize=$(SANITIZE)
FLAVOR    := san
else
FLAVOR    := default
endif
BUILD     ?= build/$(FLAVOR)

LIB_SRC   := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/openapi_data.o $(BUILD)/bioex_record_xsd.o $(BUILD)/web_assets.o
WEB_FILES := $(sort $(wildcard web/i18n/*.json) $(wildcard web/static/*))
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPS_OK   := build/.deps-ok

.PHONY: all test unit api run bench fuzz clean deps
all: bioex

$(DEPS_OK): scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p build && touch $@

deps: $(DEPS_OK)

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# docs/openapi.yaml is served as JSON from inside the binary.
$(BUILD)/openapi.json: docs/openapi.yaml scripts/yaml2json.py | $(DEPS_OK)
	@mkdir -p $(dir $@)
	/usr/bin/python3 scripts/yaml2json.py $< $@

$(BUILD)/openapi_data.o: $(BUILD)/openapi.json Makefile
	printf '.section .rodata\n.global bx_openapi_json\nbx_openapi_json:\n.incbin "%s"\nbx_openapi_json_end:\n.byte 0\n.balign 4\n.global bx_openapi_json_size\nbx_openapi_json_size:\n.int bx_openapi_json_end - bx_openapi_json\n.section .note.GNU-stack,"",@progbits\n' "$(CURDIR)/$<" > $(BUILD)/openapi_data.S
	$(CC) -c $(BUILD)/openapi_data.S -o $@

# docs/bioex-record.xsd, the schema of the OAI-PMH bioex format, is served at /oai/bioex-record.xsd.
$(BUILD)/bioex_record_xsd.o: docs/bioex-record.xsd Makefile
	@mkdir -p $(dir $@)
	printf '.section .rodata\n.global bx_bioex_record_xsd\nbx_bioex_record_xsd:\n.incbin "%s"\nbx_bioex_record_xsd_end:\n.byte 0\n.balign 4\n.global bx_bioex_record_xsd_size\nbx_bioex_record_xsd_size:\n.int bx_bioex_record_xsd_end - bx_bioex_record_xsd\n.section .note.GNU-stack,"",@progbits\n' "$(CURDIR)/$<" > $(BUILD)/bioex_record_xsd.S
	$(CC) -c $(BUILD)/bioex_record_xsd.S -o $@

# The web interface's catalogues and static files are compiled in (src/web/assets.h).
$(BUILD)/web_assets.o: $(WEB_FILES) scripts/embed.sh Makefile
	@mkdir -p $(dir $@)
	sh scripts/embed.sh bx_web_assets $(WEB_FILES) > $(BUILD)/web_assets.S
	$(CC) -c $(BUILD)/web_assets.S -o $@

$(BUILD)/libbioex.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/bioex: $(BUILD)/src/cli/main.o $(BUILD)/libbioex.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# ./bioex is a copy of the current flavour's binary, refreshed whenever it differs.
bioex: $(BUILD)/bioex FORCE
	@cmp -s $< $@ || { cp $< $@.new && mv -f $@.new $@; }
FORCE:

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libbioex.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libbioex.a $(LDLIBS) -lcmocka

test: bioex $(UNIT_BIN)
	@BUILD=$(BUILD) sh tests/run.sh

run: bioex
	@sh scripts/run.sh

bench: bioex
	@sh scripts/deps.sh --bench
	@sh bench/run.sh

fuzz: $(DEPS_OK)
	@sh scripts/deps.sh --fuzz
	@$(MAKE) -C tests/fuzz

clean:
	rm -rf build bioex

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/cli/main.d
