# SPDX-License-Identifier: GPL-2.0-only
#
# User entry points.  Kbuild itself reads ./Kbuild, never this file.
#
#   make              build the modules out of tree (KDIR=... to choose the
#                     kernel, e.g. /lib/modules/$(uname -r)/build; default:
#                     Debian's 6.12 amd64 headers, unpacked into the cache by
#                     scripts/ccda-kernel.sh, which carry Module.symvers)
#   make test         everything CI checks (scripts/ccda-test.sh)
#   make kunit        KUnit on one architecture: KUNIT_ARCH=um|san|x86_64|
#                     arm64|riscv (default um), SUITE=glob to pick suites
#   make check        checkpatch, kernel-doc, sparse and W=1 only
#   make tools        the user-space tools (tools/build/ccda-map, ccda-bench)
#   make bench        the map/plan benchmark: times, memory, firmware calls
#   make fuzz         libFuzzer on report -> map -> plan for FUZZ_SECONDS
#   make demo         the main job: bind -> accept -> RUN -> unbind of a
#                     sample device under UML, printing the secure map, the
#                     plan and the ordered backend steps

KDIR ?= $(shell scripts/ccda-kernel.sh headers)
KUNIT_ARCH ?= um
SUITE ?=

.PHONY: all modules clean test kunit check demo tools bench fuzz

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) CONFIG_CCDA=m modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

test:
	scripts/ccda-test.sh

kunit:
	CCDA_SUITE='$(SUITE)' scripts/ccda-test.sh deps kunit-$(KUNIT_ARCH)

check:
	scripts/ccda-test.sh deps checkpatch kernel-doc build-x86_64

tools:
	$(MAKE) -C tools

bench:
	$(MAKE) -C tools bench

FUZZ_SECONDS ?= 300
fuzz:
	$(MAKE) -C tools fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

demo:
	scripts/ccda-demo.sh
