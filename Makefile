# nftop - live network-flow monitor.  See README.md.
#
#   make            build ./nftop
#   make run        install missing packages, build, start the demo screen
#   make test       install missing packages, build, run every test (prove)
#   make SAN=address,undefined test     the same under sanitizers
#   make fuzz       libFuzzer on every target (FUZZ_SECONDS each)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man/man1
DATADIR	?= $(PREFIX)/share/nftop
CC	?= cc
CFLAGS	?= -O2 -g
PKGS	 = ncursesw libevent libpcre2-8 libpcap
# Optional: AS and country enrichment (--asn, --geoip); built without it
# when its pkg-config file is absent.
GEO_PKG	:= $(shell pkg-config --exists libmaxminddb 2>/dev/null && echo libmaxminddb)
PKGS	+= $(GEO_PKG)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN	 = -std=c11 -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes \
	   -Wno-unused-parameter
ifdef WERROR
WARN	+= -Werror
endif
ALL_CPPFLAGS = -D_GNU_SOURCE -DNFTOP_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS) \
	   $(if $(GEO_PKG),-DHAVE_MAXMINDDB) -Isrc $(CPPFLAGS)
ALL_CFLAGS = $(WARN) $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS)

# Sanitizer builds live in their own tree so they never mix objects.
ifdef SAN
O	?= build-san
ALL_CFLAGS += -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=$(SAN)
else
O	?= build
endif

ENGINE_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
UI_SRCS	    := $(wildcard ui/*.c)
ENGINE_OBJS := $(ENGINE_SRCS:%.c=$(O)/%.o)
UI_OBJS	    := $(UI_SRCS:%.c=$(O)/%.o)
LIB	    := $(O)/libnftop.a
UI_LIB	    := $(O)/libnftop-ui.a
UNIT_SRCS   := $(wildcard tests/unit/test-*.c)
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%.t)
TOOLS	    := $(O)/tools/flowblast $(O)/tools/pcapgen $(O)/tools/floodgen
FUZZ_NAMES  := $(patsubst tests/fuzz/fuzz-%.c,%,$(wildcard tests/fuzz/fuzz-*.c))
FUZZ_REPLAY := $(FUZZ_NAMES:%=$(O)/tests/fuzz-%.t)
FUZZ_SECONDS ?= 60
FUZZ_SAN    = fuzzer-no-link,address,undefined
SHARED	    ?= $(abspath ../shared)

all: nftop

nftop: $(O)/nftop
	cp -f $(O)/nftop nftop

$(O)/nftop: $(O)/src/main.o $(UI_OBJS) $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(LIB): $(ENGINE_OBJS)
	rm -f $@
	ar rcs $@ $^

# The ui objects as an archive, for fuzz targets of ui/ parsers (keymap).
$(UI_LIB): $(UI_OBJS)
	rm -f $@
	ar rcs $@ $^

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# src/ never sees curses: check it on every build.
$(O)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	@! grep -l 'curses' $< || { echo "$< must not include curses"; exit 1; }
	@echo "  CC      $<"
	@$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/tests/%.t: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) \
	    $(PKG_LIBS) -lcmocka -lm

# A unit test of ui/ code: the UI archive too.
$(O)/tests/test-recent.t: tests/unit/test-recent.c $(UI_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -Iui -o $@ $< \
	    $(UI_LIB) $(LIB) $(PKG_LIBS) -lcmocka -lm

# Fuzz corpora are replayed by plain builds in make test, so every input a
# fuzzer ever kept stays fixed.
$(O)/tests/fuzz-%.t: tests/fuzz/fuzz-%.c tests/fuzz/replay.c $(UI_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -Itests/fuzz -Iui \
	    -DFUZZ_CORPUS='"$(abspath tests/fuzz/corpus/$*)"' -o $@ \
	    tests/fuzz/replay.c $< $(UI_LIB) $(LIB) $(PKG_LIBS) -lm

# The fault tests' LD_PRELOAD library (never sanitized: it replaces
# malloc underneath the program).
$(O)/tests/faultinject.so: tests/fault/faultinject.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -g -fPIC -shared -o $@ $< -ldl
	$(CC) $(WARN) -O2 -g -fPIC -shared -DFI_RECV_ONLY \
	    -o $(O)/tests/faultrecv.so $< -ldl

$(O)/tools/%: $(SHARED)/tools/%.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -o $@ $< -lm

# The spoofed-source flood of tests/integ/flood.t and the memory bench.
$(O)/tools/floodgen: tests/tools/floodgen.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -Wextra -o $@ $<

deps:
	@sh tests/deps.sh

run: deps
	$(MAKE) nftop
	./nftop --demo

# The whole suite through prove: unit tests (cmocka, TAP) and the
# integration and TUI scripts.  Each script finds its tools through
# NFTOP, NFTOP_BUILD and SHARED.
# The soak (tests/tui/soak.t, SOAK_SECONDS) runs an AddressSanitizer
# build whatever this one is: a plain check makes build-san/nftop too.
SOAK_SECONDS ?= 600
ifdef SAN
SOAK_NFTOP  := $(O)/nftop
soak-nftop: $(O)/nftop
else
SOAK_NFTOP  := build-san/nftop
soak-nftop:
	$(MAKE) SAN=address,undefined build-san/nftop
endif

check: nftop $(UNIT_BINS) $(FUZZ_REPLAY) $(TOOLS) $(O)/tests/faultinject.so \
	    soak-nftop
	NFTOP=$(abspath nftop) NFTOP_BUILD=$(abspath $(O)) SHARED=$(SHARED) \
	SOAK_NFTOP=$(abspath $(SOAK_NFTOP)) SOAK_SECONDS=$(SOAK_SECONDS) \
	CMOCKA_MESSAGE_OUTPUT=TAP \
	prove -f --timer -e '' $(UNIT_BINS) $(FUZZ_REPLAY) tests/integ/*.t \
	    tests/tui/*.t

test: deps
	$(MAKE) check

# libFuzzer (clang) on every target for FUZZ_SECONDS each; what the
# fuzzers find goes into tests/fuzz/corpus/NAME, to be committed.
fuzz:
	$(MAKE) O=build-fuzz CC=clang SAN=$(FUZZ_SAN) build-fuzz/libnftop.a \
	    build-fuzz/libnftop-ui.a
	@set -e; for t in $(FUZZ_NAMES); do \
	    clang $(ALL_CPPFLAGS) -g -O1 -Itests/fuzz -Iui \
	        -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz-$$t \
	        tests/fuzz/fuzz-$$t.c build-fuzz/libnftop-ui.a \
	        build-fuzz/libnftop.a $(PKG_LIBS) -lm; \
	    mkdir -p tests/fuzz/corpus/$$t; \
	    dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
	    echo "fuzz-$$t: $(FUZZ_SECONDS) s"; \
	    build-fuzz/fuzz-$$t $$dict -max_total_time=$(FUZZ_SECONDS) \
	        -max_len=65536 -print_final_stats=1 tests/fuzz/corpus/$$t \
	        2>&1 | grep -E '^(stat::|#[0-9]+.*DONE|==|SUMMARY)' || true; \
	done

# Performance beside the peers (not part of test): ingest knee over
# loopback against nfcapd, offline reading and metering against nfdump and
# softflowd, memory per record, per key and through a flood.  Medians of
# several runs; ratios, since the box is shared.
$(O)/filter-bench: tests/bench/filter-bench.c $(LIB)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) \
	    $(PKG_LIBS) -lm

$(O)/analysis-bench: tests/bench/analysis-bench.c $(LIB)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) \
	    $(PKG_LIBS) -lm

# BENCH_RUNS: runs each figure is the median of; BENCH_ONLY="4 5": only
# those of the issue's six figures.
BENCH_RUNS ?= 5
bench: nftop $(TOOLS) $(O)/filter-bench $(O)/analysis-bench
	BENCH_RUNS=$(BENCH_RUNS) SHARED=$(SHARED) NFTOP_BUILD=$(abspath $(O)) \
	    tests/bench/run.sh

style:
	@! grep -nE '\b(strcpy|strcat|sprintf|gets|strtok|atoi)\(' src/*.c ui/*.c \
	    || { echo "banned calls above"; exit 1; }

# Every view of the real program (with --demo traffic), as text and PNG.
screenshots: nftop
	sh tests/tui/screenshots.sh

install: nftop
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(DATADIR)/keymaps
	install -m 755 nftop $(DESTDIR)$(BINDIR)/nftop
	install -m 644 nftop.1 $(DESTDIR)$(MANDIR)/nftop.1
	install -m 644 keymaps/*.keys $(DESTDIR)$(DATADIR)/keymaps/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 completion/nftop.bash \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/nftop

clean:
	rm -rf build build-san build-fuzz nftop

.PHONY: all nftop deps run check test fuzz bench screenshots style install \
	clean soak-nftop

-include $(shell find $(O) -name '*.d' 2>/dev/null)
