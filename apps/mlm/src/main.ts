#!/usr/bin/env -S npx tsx --conditions=@selfsup/source
import { runApp } from '@selfsup/cli';
import { MLM_APP } from './mlm-app.js';

process.exitCode = await runApp(MLM_APP);
