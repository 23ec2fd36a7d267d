'use strict';
module.exports = require('./load.cjs').load('../dist/index.js', 'captchaai');
