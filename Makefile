# The conformance kit. `make run` starts the mock on the default world; `make test` runs vet, the
# unit tests and the conformance features under the race detector and writes reports/.
GO ?= go
ADDR ?= 127.0.0.1:8080

JS_CLIENTS := steps/clients/js
BROWSER_APP := steps/clients/browser
CONSOLE_TEST := mockserver/console/test
JS_HELPER := clients/js
JS_HELPER_EXAMPLES := $(JS_HELPER)/examples

.PHONY: run test bench lint build dist js-clients js-helper python-helper console-browser screenshots conformance mutants fuzz sdk-fixtures matrix

run:
	$(GO) run ./cmd/mockserver --addr $(ADDR)

# Static binaries for linux, darwin and windows on amd64 and arm64 into dist/, each printing
# its version, commit and emulated API versions with --version (PLATFORMS=os/arch ... for others).
dist:
	GO=$(GO) scripts/dist.sh

build:
	$(GO) build -o bin/mockserver ./cmd/mockserver

# The official JS SDK, which the tests in steps/ run against the mock (needs Node.js and npm), and
# the browser app on it with Playwright, which drives Chromium (TestBrowserApp).
js-clients: $(JS_CLIENTS)/node_modules/.package-lock.json $(BROWSER_APP)/node_modules/.package-lock.json

%/node_modules/.package-lock.json: %/package.json %/package-lock.json
	@command -v npm >/dev/null || { echo "npm is required for the JS SDK checks and the browser tests (apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix $* --no-audit --no-fund

# The JavaScript helper (clients/js): its own tests, and its example suites under Jest, Vitest and
# Playwright Test in two workers each, against bin/mockserver.
js-helper: build $(JS_HELPER_EXAMPLES)/node_modules/.package-lock.json
	cd $(JS_HELPER) && GLOBUS_MOCK_BINARY=$(CURDIR)/bin/mockserver node --test test/*.test.js

# The examples install a copy of the helper (install-links), so a change to it installs them anew.
$(JS_HELPER_EXAMPLES)/node_modules/.package-lock.json: $(JS_HELPER)/package.json $(wildcard $(JS_HELPER)/*.js $(JS_HELPER)/*.d.ts)

# playwright-core, which the console's browser test drives Debian's chromium with.
console-browser: $(CONSOLE_TEST)/node_modules/.package-lock.json

# The README's pictures of the console (docs/screenshots/*.png), taken by its browser test.
screenshots: console-browser
	@test -x /usr/bin/chromium || test -n "$$CHROMIUM" || { echo "chromium is required (apt-get install chromium, or CHROMIUM=path)"; exit 1; }
	SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test ./mockserver/console -run '^TestConsoleInBrowser$$' -count=1

# The pytest plugin (clients/python): installed with pip into a fresh virtualenv and its own tests
# run against bin/mockserver, under pytest-xdist when it is installed (needs pytest and pip).
python-helper: build
	clients/python/check.sh bin/mockserver

test: js-clients console-browser python-helper js-helper
	$(GO) vet ./...
	mkdir -p reports
	$(GO) test -race -count=1 -timeout 20m -skip '^TestMutants$$' ./...
	# The mutants run the features many times over: the race detector adds nothing the
	# features' own race run has not checked, and would multiply their time.
	$(GO) test -count=1 -timeout 20m -run '^TestMutants$$' ./steps
	@echo "reports: reports/junit.xml reports/cucumber.json"

# The compatibility matrix: the official clients' suites run, their results are kept in
# steps/clients/results/ and the README's table is rendered from them (commit both).
CLIENT_SUITES := ^(TestJSSDKSuite|TestPythonSDKSuite|TestCLISuite)$$
matrix: js-clients
	mkdir -p reports
	$(GO) test ./steps -run '$(CLIENT_SUITES)' -count=1 -v -update-matrix > reports/matrix.log || { tail -40 reports/matrix.log; exit 1; }
	@grep -E '^--- |installed|released|skip' reports/matrix.log
	$(GO) test ./steps -run '^TestCompatibilityMatrix$$' -count=1 -update-matrix

# The conformance suite against a target: TARGET=inprocess (default), a mock's URL, or real with
# CONFIG=file.json. Reports land in reports/ (summary.md, summary.html, junit.xml, cucumber.json).
TARGET ?= inprocess
conformance:
	$(GO) run ./cmd/conformance --target $(TARGET) $(if $(CONFIG),--config $(CONFIG)) --format progress,summary,junit,cucumber --out reports

# Each injected defect with the scenarios that catch it.
mutants:
	$(GO) test ./steps -run TestMutants -count=1 -v 2>&1 | grep -E '^\s+(mutants_test|  - )' | sed 's/^ *mutants_test.go:[0-9]*: //'

bench:
	./scripts/bench-table.sh

# The Python SDK's recorded responses, which the fidelity test (mockserver/fidelity_test.go)
# compares the mock's answers with. An installed globus-sdk is used when importable, else the
# source tree at SDK_SRC.
SDK_SRC ?= ../shared/clients/python/src
sdk-fixtures:
	@if python3 -c 'import globus_sdk' 2>/dev/null; then py=python3; else py="env PYTHONPATH=$(SDK_SRC) python3"; fi; \
	$$py scripts/extract-sdk-fixtures.py > mockserver/testdata/sdk-fixtures.json.tmp && \
	mv mockserver/testdata/sdk-fixtures.json.tmp mockserver/testdata/sdk-fixtures.json

# Every fuzz target for FUZZTIME each (default 10s); FUZZTIME=5m is the release check.
fuzz:
	./scripts/fuzz.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
