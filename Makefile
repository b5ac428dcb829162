# The console's everyday commands. `make run` starts it on the built-in CarrierX
# sandbox; `make test` runs every test (Postgres and Chromium must be installed).
GO ?= go
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dashboard?sslmode=disable

.PHONY: run test bench generate check db vendor build

run: db
	$(GO) run ./cmd/dashboard serve

build:
	$(GO) build -o bin/dashboard ./cmd/dashboard

db:
	@./scripts/ensure-postgres.sh

generate:
	$(GO) tool templ generate

# check: formatting, vet, and generated files that match their templates.
check:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$'); exit 1; }
	$(GO) vet ./...

test: db check
	$(GO) test -race -count=1 ./...

# bench: the report cache end to end (a table, and bench/results.json), then
# the Go benchmarks.
bench: db
	$(GO) run ./bench
	$(GO) test -p 1 -run '^$$' -bench . -benchmem ./...

# vendor copies the front-end files from their npm packages into static/vendor.
vendor:
	cd static && npm install --no-save --no-audit --no-fund
	cp static/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	rm -rf static/node_modules
