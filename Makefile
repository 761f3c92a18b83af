# segqa: build, test and run from a fresh clone. `make run` and `make test`
# set everything up on first use; nothing is installed by hand.

SHELL := /bin/bash

# libtensorflow comes from the official tensorflow-cpu wheel on PyPI (its C API
# headers and the two shared libraries that export the C API). A user with an
# own libtensorflow (official C tarball layout: include/ and lib/) sets
# LIBTENSORFLOW_DIR instead. TF_VARIANT=gpu takes the CUDA build from the
# tensorflow wheel: it needs no CUDA library to link or load and finds CUDA
# at run time (docs/gpu.md). The sha256 are PyPI's for the cp311
# manylinux_2_17_x86_64 wheels. bin/segqa and the test binaries carry the
# variant's lib/ as rpath; go relinks them when TF_VARIANT changes (the cgo
# flags differ), so pass the same TF_VARIANT to every make command.
TF_VERSION      ?= 2.18.1
TF_VARIANT      ?= cpu
TF_PYTHON       ?= 3.11
TF_PLATFORM     ?= manylinux_2_17_x86_64
TF_SHA256_cpu   := 810c75d7149d2da0cb2092187817b0dcabb80728ca9f9cf3a61f3f42fadd1298
TF_SHA256_gpu   := c9f87e5d2a680a4595f5dc30daf6bbaec9d4129b46d7ef1b2af63c46ac7d2828
TF_PACKAGE_cpu  := tensorflow-cpu
TF_PACKAGE_gpu  := tensorflow
TF_WHEEL_NAME_cpu := tensorflow_cpu
TF_WHEEL_NAME_gpu := tensorflow
TF_LOCAL        := $(CURDIR)/.libtensorflow/$(TF_VARIANT)-$(TF_VERSION)
LIBTENSORFLOW_DIR ?= $(TF_LOCAL)

# libsegqa_quiet sets TF_CPP_MIN_LOG_LEVEL before libtensorflow initialises
# (see cmd/segqa/quiet/quiet.c), so that segqa's output has no TensorFlow INFO
# lines. cmd/segqa/quiet.go links it; here are only its search paths.
QUIET_DIR := $(CURDIR)/.libtensorflow/quiet
QUIET_LIB := $(QUIET_DIR)/libsegqa_quiet.so

export CGO_CFLAGS  := -I$(LIBTENSORFLOW_DIR)/include
export CGO_LDFLAGS := -L$(LIBTENSORFLOW_DIR)/lib -Wl,-rpath,$(LIBTENSORFLOW_DIR)/lib \
	-L$(QUIET_DIR) -Wl,-rpath,$(QUIET_DIR)
export TF_CPP_MIN_LOG_LEVEL ?= 2

GO       ?= go
BIN      := bin/segqa
CONFIG   ?= configs/quick.yaml
OUT      ?= runs/quick
RUNFLAGS ?=
TESTFLAGS ?= -timeout 14m
BENCHFLAGS ?= -run '^$$' -bench . -benchtime 3x -timeout 60m

.PHONY: setup build test run bench bench-keras fuzz clean distclean

setup: $(LIBTENSORFLOW_DIR)/lib/libtensorflow.so $(QUIET_LIB)

$(QUIET_LIB): cmd/segqa/quiet/quiet.c
	@mkdir -p $(QUIET_DIR)
	$(CC) -shared -fPIC -O2 -o $@.tmp $< && mv $@.tmp $@

# Only the bundled copy is fetched; a user-supplied LIBTENSORFLOW_DIR is checked.
$(TF_LOCAL)/lib/libtensorflow.so:
	@set -euo pipefail; \
	dl=$$(mktemp -d); trap 'rm -rf "$$dl"' EXIT; \
	echo "segqa setup: fetching $(TF_PACKAGE_$(TF_VARIANT))==$(TF_VERSION) from PyPI"; \
	python3 -m pip download --quiet --no-deps --only-binary=:all: \
	  --python-version $(TF_PYTHON) --platform $(TF_PLATFORM) \
	  -d "$$dl" "$(TF_PACKAGE_$(TF_VARIANT))==$(TF_VERSION)"; \
	whl=$$(ls "$$dl"/$(TF_WHEEL_NAME_$(TF_VARIANT))-$(TF_VERSION)-*.whl); \
	echo "$(TF_SHA256_$(TF_VARIANT))  $$whl" | sha256sum --check --quiet - \
	  || { echo "segqa setup: sha256 mismatch for $$whl" >&2; exit 1; }; \
	stage="$(TF_LOCAL).partial"; rm -rf "$$stage"; mkdir -p "$$stage/lib"; \
	cd "$$stage"; \
	unzip -q -o "$$whl" 'tensorflow/include/tensorflow/c/*' \
	  'tensorflow/include/tensorflow/core/platform/ctstring*' \
	  'tensorflow/include/tsl/platform/ctstring*' 'tensorflow/include/xla/tsl/c/*' \
	  'tensorflow/libtensorflow_cc.so.2' 'tensorflow/libtensorflow_framework.so.2'; \
	mv tensorflow/include include; \
	mv tensorflow/libtensorflow_cc.so.2 tensorflow/libtensorflow_framework.so.2 lib/; \
	rmdir tensorflow; \
	ln -s libtensorflow_cc.so.2 lib/libtensorflow.so; \
	ln -s libtensorflow_framework.so.2 lib/libtensorflow_framework.so; \
	cd "$(CURDIR)"; rm -rf "$(TF_LOCAL)"; mv "$$stage" "$(TF_LOCAL)"; \
	echo "segqa setup: libtensorflow $(TF_VERSION) ($(TF_VARIANT)) in $(TF_LOCAL)"

ifneq ($(LIBTENSORFLOW_DIR),$(TF_LOCAL))
$(LIBTENSORFLOW_DIR)/lib/libtensorflow.so:
	@test -e "$@" || { echo "segqa setup: LIBTENSORFLOW_DIR=$(LIBTENSORFLOW_DIR) has no lib/libtensorflow.so" >&2; exit 1; }
	@test -e "$(LIBTENSORFLOW_DIR)/include/tensorflow/c/c_api.h" || { echo "segqa setup: LIBTENSORFLOW_DIR=$(LIBTENSORFLOW_DIR) has no include/tensorflow/c/c_api.h" >&2; exit 1; }
endif

# -buildvcs=auto stamps the binary with the commit it was built from (the
# manifest's git revision), whatever GOFLAGS says.
build: setup
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/segqa

test: setup
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.libtensorflow/*')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted" >&2; exit 1; fi
	$(GO) vet ./...
	$(GO) test $(TESTFLAGS) ./...

run: build
	./$(BIN) run --config $(CONFIG) --out $(OUT) $(RUNFLAGS)

bench: setup
	$(GO) test $(BENCHFLAGS) ./...

# Keras on the same TensorFlow, side by side with segqa: the REC-Net step
# of BenchmarkUNet (depth 4, 32 filters, 128 px, batch 16) in float32 and
# mixed_bfloat16 (graphs/keras/bench.py), then segqa's in both precisions,
# and the step's convolution passes alone (BenchmarkUNetConvPasses), which
# bound what any implementation on TensorFlow's kernels can reach.
# The wheel is installed once into a virtualenv under .libtensorflow.
KERAS_VENV := $(CURDIR)/.libtensorflow/keras-venv
BENCH_THREADS ?= $(shell nproc)
bench-keras: setup
	@test -x $(KERAS_VENV)/bin/python || { python3 -m venv $(KERAS_VENV) && \
	  $(KERAS_VENV)/bin/pip install --quiet $(TF_PACKAGE_$(TF_VARIANT))==$(TF_VERSION); }
	@for p in float32 mixed_bfloat16; do \
	  $(KERAS_VENV)/bin/python graphs/keras/bench.py --policy $$p --threads $(BENCH_THREADS) --steps 10 2>/dev/null || exit 1; \
	done
	$(GO) test -run '^$$' -bench 'UNet/d4_f32_128px_b16/train|UNetConvPasses' -benchtime 10x ./graphs

fuzz: setup
	$(GO) test -run '^$$' -fuzz FuzzRead -fuzztime 60s ./harness/data/nifti
	$(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime 60s ./harness/config
	$(GO) test -run '^$$' -fuzz FuzzInfoCfg -fuzztime 60s ./harness/data/acdc

clean:
	rm -rf bin

distclean: clean
	rm -rf .libtensorflow runs

# SIGKILL a two-cell sweep of configs/ci.yaml at the points that each of
# KILL_SEEDS seeds draws (as a stage starts, inside it, or as it finishes),
# run the same command after each kill, and compare the report with an
# uninterrupted sweep's (TestSweepKilledResumes; make test tries one seed).
# About half a minute per seed on 2 cores.
KILL_SEEDS ?= 10
.PHONY: kill-test
kill-test: setup
	$(GO) test -run '^TestSweepKilledResumes$$' -count=1 -v -timeout 60m ./cmd/segqa -kill-seeds $(KILL_SEEDS)

# A real one-node Slurm cluster on localhost runs a small sweep through
# `segqa sweep --launcher slurm` (.ci/slurm-test; installs Debian's
# slurm-wlm and munge when missing, needs root, about 1 to 2 minutes):
# failed, cancelled and preempted cells. It tests $(BIN): BIN=PATH builds
# and tests a binary elsewhere than bin/segqa.
# A real-image set of our own (docs/fidelity.md): pseudo-patients in ACDC
# layout cut from the MNI152 2009a T1 template and its grey- and
# white-matter maps, which nilearn's wheel on PyPI bundles (the wheel is
# checked against PyPI's sha256 and only the three maps are kept).
NILEARN_VERSION := 0.14.1
NILEARN_SHA256  := 725206484e9fb3f6691f9c2d20204a068759d5072f12055324702ee0cb2bbe8a
MNI_DIR         := $(CURDIR)/.libtensorflow/mni152-$(NILEARN_VERSION)
BRAINS          ?= runs/brains
BRAINS_PATIENTS ?= 20
BRAINS_SEED     ?= 1
.PHONY: brains
brains: build $(MNI_DIR)/mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz
	./$(BIN) brains --template $(MNI_DIR) --out $(BRAINS) --patients $(BRAINS_PATIENTS) --seed $(BRAINS_SEED)

$(MNI_DIR)/mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz:
	@set -euo pipefail; \
	dl=$$(mktemp -d); trap 'rm -rf "$$dl"' EXIT; \
	echo "segqa brains: fetching nilearn==$(NILEARN_VERSION) from PyPI for its MNI152 template"; \
	python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$$dl" "nilearn==$(NILEARN_VERSION)"; \
	whl=$$(ls "$$dl"/nilearn-$(NILEARN_VERSION)-*.whl); \
	echo "$(NILEARN_SHA256)  $$whl" | sha256sum --check --quiet - \
	  || { echo "segqa brains: sha256 mismatch for $$whl" >&2; exit 1; }; \
	stage="$(MNI_DIR).partial"; rm -rf "$$stage"; mkdir -p "$$stage"; \
	unzip -q -j -o "$$whl" 'nilearn/datasets/data/mni_icbm152_*_tal_nlin_sym_09a_converted.nii.gz' -d "$$stage"; \
	rm -rf "$(MNI_DIR)"; mv "$$stage" "$(MNI_DIR)"

.PHONY: slurm-test
slurm-test: build
	SEGQA=$(abspath $(BIN)) .ci/slurm-test
