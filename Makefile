# The conformance kit. `make run` starts the mock on the default world; `make test` runs vet, the
# unit tests and the conformance features under the race detector and writes reports/.
GO ?= go
ADDR ?= 127.0.0.1:8080

.PHONY: run test bench lint build

run:
	$(GO) run ./cmd/mockserver --addr $(ADDR)

build:
	$(GO) build -o bin/mockserver ./cmd/mockserver

test:
	$(GO) vet ./...
	mkdir -p reports
	$(GO) test -race -count=1 ./...
	@echo "reports: reports/junit.xml reports/cucumber.json"

bench:
	./scripts/bench-table.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
