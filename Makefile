# Hearth: `make run` to start a server, `make test` to test everything.
# Generators and linters are pinned in tools/go.mod and run with `go tool`.

GO      ?= go
TOOL    := $(GO) tool -modfile=tools/go.mod
ARGS    ?=
BENCH   ?=

.PHONY: all generate check-generated build modules run test test-go test-contract bench lint fuzz clean

all: build

## generate: regenerate gen/api (from spec/) and gen/db (from queries/)
generate:
	$(TOOL) oapi-codegen --config oapi.yaml spec/openapi.yaml
	$(TOOL) sqlc -f sqlc.yaml generate

## check-generated: fail when gen/ differs from what `make generate` produces
check-generated: generate
	@git diff --exit-code --stat -- gen/ || (echo "gen/ is stale: run 'make generate' and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain -- gen/)" || (git status --porcelain -- gen/; echo "gen/ has untracked files: run 'make generate' and commit" >&2; exit 1)

## build: compile bin/hearth
build:
	$(GO) build -o bin/hearth ./cmd/hearth

## modules: build examples/gamemodule as a Go plugin (bin/modules/gamemodule.so, needs cgo)
## and linked into its own server binary (bin/hearth-gamemodule)
modules:
	CGO_ENABLED=1 $(GO) build -buildmode=plugin -o bin/modules/gamemodule.so ./examples/plugin
	$(GO) build -o bin/hearth-gamemodule ./examples/static

## run: build and start with the private PostgreSQL cluster under ./data (ARGS adds flags)
run: build
	./bin/hearth $(ARGS)

## test: Go tests on one private PostgreSQL cluster, then the nakama-js contract tests
test: test-go test-contract

test-go:
	$(GO) run ./internal/dbtest/cmd/pgtest -- $(GO) test -count=1 ./...

test-contract: build modules
	cd contract && npm ci --no-audit --no-fund && HEARTH_BIN=../bin/hearth npm test

## bench: load-generate against a started bin/hearth-bench (bin/hearth plus an echo RPC;
## medians of 3 runs; BENCH adds flags), then the core Go benchmarks
bench: build
	$(GO) build -o bin/hearth-bench ./bench/hearthbench
	$(GO) run ./bench/loadgen -hearth bin/hearth-bench $(BENCH)
	$(GO) test ./core -run '^$$' -bench 'BenchmarkWalletUpdate' -count 5
	$(GO) test ./nk -run '^$$' -bench 'BenchmarkRequestRoundTrip' -count 3
	$(GO) test ./core -run '^$$' -bench 'BenchmarkLeaderboard1M' -count 3 -timeout 30m
	$(GO) test ./core/rank -run '^$$' -bench . -count 3
	$(GO) test ./handlers -run '^$$' -bench 'BenchmarkLeaderboardREST|BenchmarkList' -benchtime 2000x -count 3
	$(GO) run ./internal/dbtest/cmd/pgtest -- $(GO) test ./realtime -run '^$$' -bench 'BenchmarkIdleSocketMemory' -benchtime 1x -count 3

## lint: go vet and staticcheck
lint:
	$(GO) vet ./...
	$(TOOL) staticcheck ./...

## fuzz: run each fuzz target for a short while (the seed corpora also run in `make test`)
fuzz:
	$(GO) test ./handlers -run '^$$' -fuzz FuzzNormalize -fuzztime 30s
	$(GO) test ./handlers -run '^$$' -fuzz FuzzStorageRequestDecode -fuzztime 30s
	$(GO) test ./core -run '^$$' -fuzz FuzzStorageValue -fuzztime 30s
	$(GO) test ./core -run '^$$' -fuzz FuzzStorageCursor -fuzztime 30s
	$(GO) test ./core -run '^$$' -fuzz FuzzFriendCursors -fuzztime 30s
	$(GO) test ./core -run '^$$' -fuzz FuzzFriendMetadata -fuzztime 30s
	$(GO) test ./core -run '^$$' -fuzz FuzzParseChannelID -fuzztime 30s
	$(GO) test ./core -run '^$$' -fuzz FuzzMessageCursor -fuzztime 30s
	$(GO) test ./core -run '^$$' -fuzz FuzzLeaderboardCursors -fuzztime 30s
	$(GO) test ./core -run '^$$' -fuzz FuzzRecordMetadata -fuzztime 30s
	$(GO) test ./core -run '^$$' -fuzz 'FuzzStorageQuery$$' -fuzztime 30s
	$(GO) test ./core -run '^$$' -fuzz FuzzStorageIndexCursor -fuzztime 30s
	$(GO) test ./realtime -run '^$$' -fuzz FuzzDecodeJSON -fuzztime 30s
	$(GO) test ./realtime -run '^$$' -fuzz FuzzDecodeProtobuf -fuzztime 30s

clean:
	rm -rf bin
