#!/usr/bin/env -S npx tsx --conditions=@selfsup/source
import { runApp } from '@selfsup/cli';
import { VIDEO_ORDER_APP } from './video-order-app.js';

process.exitCode = await runApp(VIDEO_ORDER_APP);
