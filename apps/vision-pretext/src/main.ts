#!/usr/bin/env -S npx tsx --conditions=@selfsup/source
import { runApp } from '@selfsup/cli';
import { VISION_PRETEXT_APP } from './vision-pretext-app.js';

process.exitCode = await runApp(VISION_PRETEXT_APP);
