# make tool-tests: the host tool's suites, TAP on stdout (make test runs it
# through tests/run.sh): every Linux board tree against fdtdump
# (test_board_trees.sh) and the tool as a command, with `make run`'s refusal
# of trees for other machines (test_buddymon_dt.sh).

.PHONY: tool-tests
tool-tests: host-tools board-dtbs all $(DTBS)
	$(Q)status=0; for t in tests/tools/test_*.sh; do BUILD=$(BUILD) $$t || status=1; done; exit $$status
