'use strict';
module.exports = require('./load.cjs').load('../dist/simulator/index.js', 'captchaai/simulator');
