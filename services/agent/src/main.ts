// The in-cluster agent (pull → apply → prune → health → report) arrives with its own issue; until
// then this entry point only states what it is, so the workspace builds and packages.
process.stderr.write('fleetwave-agent: not implemented yet\n');
process.exitCode = 1;
