# oaii: the project's jobs.  `make install` once, then any target.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
UPSTREAM ?= ../shared/openai-openapi/2026-08-21/openapi.yaml
UPSTREAMS ?= ../shared/openai-openapi/2026-08-21/openapi.yaml ../shared/openai-openapi/2024-03-29/openapi.yaml
# The upstream file's date for provenance.json; OpenAI's specs state none of their own.
UPSTREAM_DATE ?=
# The tests whose expectations depend most on the spec (its fields, limits, union tags, the run
# shape): CI runs them over each upstream copy in ../shared (see .ci/run).
SPEC_TESTS = tests/server/test_create_run_template.py tests/server/test_fast_paths.py \
             tests/server/test_state.py tests/server/test_official_sdk.py tests/server/test_response_schemas.py \
             tests/server/test_user_suite.py tests/server/test_schemathesis.py \
             tests/client/test_validation.py tests/client/test_wire.py tests/spec/test_validator_agreement.py
GEN_PKG  = oaii_openapi_client
GENERATE = $(VENV)/bin/openapi-python-client generate --path openapi/subset.yaml \
           --config openapi/generator-config.yaml --meta none --fail-on-warning --overwrite \
           --custom-template-path openapi/templates

.PHONY: help install demo test check check-generated spec generate regen regen-matrix spec-tests bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# setuptools' editable install of a package-dir mapping (wrapper/oaii, generated/...) always ends
# with an "Editable installation ... be careful with folders" notice (an InformationOnly warning,
# relayed by pip); it is informational, so the install filters that one message out.
install: $(PY)  ## set up .venv with the package (editable), the local server and dev tools
	PYTHONWARNINGS="ignore:Editable installation" $(PY) -m pip install --quiet -e '.[dev,server]'
	@# Bytecode for the editable sources (pip compiles only what it copies): each process the tests
	@# start (the CLI, the server, a docs block) would otherwise compile oaii again, even where
	@# PYTHONDONTWRITEBYTECODE is set.
	$(PY) -m compileall -q -j 0 wrapper generated tests

demo:  ## create a run (against the embedded local server unless a base URL/key is set)
	$(PY) -m oaii.demo

test:  ## the test suite (talks HTTP over loopback only), on three workers
	@# Bytecode allowed: pytest keeps the test modules and its plugins' modules (schemathesis's
	@# 241, hypothesis's 76) assert-rewritten in __pycache__ instead of redoing it in every worker.
	@# Three workers on a two-core machine: much of a test's time is waiting (timeouts, a server's
	@# answer, a subprocess), and a third worker fills it (76 s against 88 s on two, same machine).
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -q -n 3 --dist loadfile

spec-tests:  ## only the spec-sensitive tests (SPEC_TESTS), one process
	$(PY) -m pytest -q -p no:cacheprovider $(SPEC_TESTS)

check:  ## lint and type-check the hand-written code
	$(VENV)/bin/ruff check wrapper tests openapi benchmarks tools
	$(VENV)/bin/ruff format --check wrapper tests openapi benchmarks tools
	$(VENV)/bin/mypy

spec:  ## cut openapi/ from UPSTREAM (UPSTREAM_DATE=YYYY-MM-DD for provenance) and print what changed
	$(PY) openapi/subset.py $(UPSTREAM) $(if $(UPSTREAM_DATE),--upstream-date $(UPSTREAM_DATE))

generate:  ## regenerate generated/ from openapi/
	$(GENERATE) --output-path generated/$(GEN_PKG)

check-generated:  ## fail if generated/, the runtime schema, its validator, the server's spec or the chat schemas differ from openapi/
	rm -rf .check-generated && mkdir -p .check-generated
	$(GENERATE) --output-path .check-generated/$(GEN_PKG) >/dev/null
	diff -r -x __pycache__ generated/$(GEN_PKG) .check-generated/$(GEN_PKG)
	$(PY) openapi/subset.py --from-raw --out .check-generated/openapi --schema-out .check-generated/schema.json \
	    --server-spec-out .check-generated/server-openapi.json
	diff openapi/subset.yaml .check-generated/openapi/subset.yaml
	diff wrapper/oaii/_spec/create_run_request.schema.json .check-generated/schema.json
	diff wrapper/oaii/_spec/create_run_request_validator.py .check-generated/create_run_request_validator.py
	diff wrapper/oaii/server/_spec/openapi.json .check-generated/server-openapi.json
	diff openapi/chat_completions.schema.json .check-generated/openapi/chat_completions.schema.json
	rm -rf .check-generated
	@echo "generated/, the runtime schema, its validator, the server spec and the chat schemas match openapi/"

regen:  ## spec, generate, then every check and the tests: one regeneration from UPSTREAM, start to end
	$(MAKE) --no-print-directory spec
	$(MAKE) --no-print-directory generate
	$(MAKE) --no-print-directory check-generated
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory test

regen-matrix:  ## regenerate from each of UPSTREAMS in a temporary copy, test there, one line per version
	$(PY) openapi/regen_matrix.py $(REGEN_FLAGS) $(UPSTREAMS)

bench:  ## benchmarks (client, then server if present) against a local server process; not part of test
	@$(PY) -c "import openai, httpx_aiohttp" 2>/dev/null || $(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/import_time.py
	@if [ -f benchmarks/server_bench.py ]; then $(PY) benchmarks/server_bench.py; fi
	$(PY) benchmarks/model_bench.py

clean:
	rm -rf $(VENV) .check-generated .pytest_cache .mypy_cache .ruff_cache
