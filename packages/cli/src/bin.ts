#!/usr/bin/env node
// The `selfsup` executable: runs the command line and exits with its code (docs/cli-reference.md).
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2));
