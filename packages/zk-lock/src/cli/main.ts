#!/usr/bin/env node
import { runCli } from './run.js';

// The `zk-lock` bin. Exit through `exitCode` rather than `process.exit()` so that piped output is
// flushed; every command closes its sessions, so nothing keeps the process alive.
void runCli(process.argv.slice(2), process.env).then((code) => {
  process.exitCode = code;
});
