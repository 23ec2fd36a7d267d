'use strict';
// `require('captchaai')` from CommonJS. The package is ES modules; Node 20.19 and later require()
// them, and these files hand over the very same modules (one copy, shared with `import`). Where
// Node cannot, the error says what to do instead of ERR_REQUIRE_ESM.

/** The ES module at `path`, required; a clear error where this Node cannot require() one. */
function load(path, name) {
  try {
    return require(path);
  } catch (error) {
    const code = error && error.code;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    throw new Error(
      `${name} is an ES module, and Node ${process.version} cannot require() it here: ` +
        `use \`const { Solver } = await import('${name}')\`, or Node 20.19 or later ` +
        '(without --no-experimental-require-module)',
      { cause: error },
    );
  }
}

module.exports = { load };
