# rehearse: build, test, lint. `make help` lists the targets.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
GO ?= go
BIN := bin/rehearse
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all b build t test bench l lint ci golden clean help buildkitd

all: build

b: build
build: $(BIN)

$(BIN): $(shell find . -name '*.go' -not -path './fixtures/*/*') go.mod go.sum
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(BIN) .

t: test
## test: every unit and integration test (integration tests build the binary themselves)
test:
	$(GO) test -race -count=1 ./...

## bench: Go benchmarks (plan, 256-cell matrix, expressions, run overhead)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## buildkitd: bin/buildkitd and bin/buildctl from the buildkit version go.mod pins (cached by version)
buildkitd:
	./scripts/build-buildkitd.sh

l: lint
## lint: gofmt, go vet, staticcheck
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## golden: rewrite golden files from the current output (review the diff!)
golden:
	REHEARSE_UPDATE_GOLDEN=1 $(GO) test -count=1 -run 'Golden' ./...

## ci: what .ci/run runs
ci: lint test

clean:
	rm -rf bin

help:
	@grep -E '^## ' Makefile | sed 's/^## /  /'
