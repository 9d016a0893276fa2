# Intake: the two commands a newcomer types are `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= debug
DEB_PACKAGES := libmicrohttpd-dev libsqlite3-dev libcurl4-openssl-dev libssl-dev pkg-config
# Tools the end-to-end tests call (sqlite3 to inspect the outbox, openssl to check signatures independently).
TEST_PACKAGES := sqlite3 openssl
BIN = .build/$(CONFIG)
RUN_DATA ?= ./var

.PHONY: deps test-deps install-packages build release run test bench check clean

## deps: install the Debian packages the build needs (as root), or say what to install.
deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEB_PACKAGES)"

## test-deps: the build's packages and the tools the end-to-end tests call.
test-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEB_PACKAGES) $(TEST_PACKAGES)"

install-packages:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing Debian packages:$$missing"; \
	    echo "run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG)

release:
	$(MAKE) build CONFIG=release

## run: build and start intaked on embedded defaults with the sample rules and demo slots.
run: build
	$(BIN)/intaked --data-dir $(RUN_DATA) --rules ./rules --prompts ./prompts --demo-slots

## test: the whole test suite.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build 

## check: validate the shipped rule files offline.
check: build
	$(BIN)/intakectl rules check rules

bench: deps
	./bench/run.sh

clean:
	rm -rf .build
