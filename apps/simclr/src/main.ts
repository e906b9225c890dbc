#!/usr/bin/env -S npx tsx --conditions=@selfsup/source
import { runApp } from '@selfsup/cli';
import { SIMCLR_APP } from './simclr-app.js';

process.exitCode = await runApp(SIMCLR_APP);
