#!/usr/bin/env node
// The installed command. The CLI is compiled to dist/ by `npm run build` (run by `prepare`).
import '../dist/cli/main.js';
