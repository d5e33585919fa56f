# rehearse: build, test, lint. `make help` lists the targets.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
GO ?= go
BIN := bin/rehearse
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
DEADCODE := golang.org/x/tools/cmd/deadcode@v0.51.0

.PHONY: all b build t test test-short test-containers test-assets demo bench fuzz fuzz-brief l lint deadcode ci golden clean help buildkitd

all: build

b: build
build: $(BIN)

$(BIN): $(shell find . -name '*.go' -not -path './fixtures/*/*') go.mod go.sum
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(BIN) .

t: test
## test: every unit and integration test, the container tests included (they need test-assets and a BuildKit daemon, which they start)
test:
	@./scripts/test-requirements.sh
	$(GO) test -race -count=1 ./...

## test-short: the fast tests only (no daemon, no slow end-to-end runs)
test-short:
	$(GO) test -short -count=1 ./...

## test-containers: the integration suite and the run tests again, every job on the container executor
test-containers:
	REHEARSE_TEST_EXECUTOR=container $(GO) test -count=1 . ./emulate/run

## test-assets: buildkitd, the test root filesystem, Python builds and wheels (cached; cold about 6 minutes)
test-assets: buildkitd
	./scripts/test-rootfs.sh
	./scripts/python-builds.sh
	./scripts/debian-wheels.py

## demo: the tutorial's CI in BuildKit containers, offline (builds what it needs once)
demo:
	./scripts/demo.sh

# The fuzz targets as package:Target; go test -fuzz runs one at a time.
FUZZ_TARGETS := ./emulate/workflow:FuzzLoad ./emulate/plan:FuzzLoadAndPlan \
	./emulate/expr:FuzzParse ./emulate/expr:FuzzEvaluate ./matrix:FuzzExpand \
	./emulate/step:FuzzCommands ./emulate/step:FuzzIssueCommand \
	./emulate/step:FuzzEnvFile ./emulate/step:FuzzEnvFileRoundTrip \
	./emulate/dotenv:FuzzParse ./emulate/dotenv:FuzzRoundTrip \
	./emulate/glob:FuzzGlob ./emulate/glob:FuzzGlobLiteral \
	./emulate/trigger:FuzzEventFile ./emulate/trigger:FuzzParseConfigFile \
	./emulate/mask:FuzzWriter ./emulate/mask:FuzzMaskPiece
FUZZTIME ?= 30s

## fuzz: each fuzz target for FUZZTIME (default 30s) in turn; a failing input is saved under the package's testdata/fuzz/
fuzz:
	@failed=; for t in $(FUZZ_TARGETS); do \
		echo "== fuzz $${t#*:} in $${t%%:*} for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}\$$" -fuzztime $(FUZZTIME) "$${t%%:*}" || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed"; exit 1; fi

## fuzz-brief: each fuzz target for 3 s, as CI runs them (go test alone runs only their seeds)
fuzz-brief:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=3s

## bench: Go benchmarks (plan, 256-cell matrix, expressions, run overhead, container start and steps)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

## buildkitd: bin/buildkitd and bin/buildctl from the buildkit version go.mod pins (cached by version)
buildkitd:
	./scripts/build-buildkitd.sh

l: lint
## lint: gofmt, go vet, staticcheck
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) mod tidy -diff
	shellcheck scripts/*.sh .ci/run
	# The binary must build for the platforms a user installs it on.
	GOOS=darwin $(GO) build -o /dev/null .
	GOOS=windows $(GO) build -o /dev/null .
	@$(MAKE) --no-print-directory deadcode

## deadcode: fail when a function outside fixtures/ is reachable from no main (only from tests, or nothing)
deadcode:
	@out=$$($(GO) run $(DEADCODE) ./...) || { echo "deadcode did not run"; exit 1; }; \
	out=$$(printf '%s\n' "$$out" | grep -v -e '^fixtures/'); \
	if [ -n "$$out" ]; then echo "deadcode: unreachable functions (use them or delete them):"; echo "$$out"; exit 1; fi

## golden: rewrite golden files from the current output (review the diff!)
golden:
	REHEARSE_UPDATE_GOLDEN=1 $(GO) test -count=1 -run 'Golden' ./...

## ci: what .ci/run runs
ci: lint test fuzz-brief

clean:
	rm -rf bin

help:
	@grep -E '^## ' Makefile | sed 's/^## /  /'
