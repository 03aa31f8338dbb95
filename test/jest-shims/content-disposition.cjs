'use strict';
/* global module */
// Jest's module runtime cannot require() an ES module before Node 24.9, and content-disposition 3 is
// ESM-only; mercurius requires @fastify/static, which requires it. Plain Node (20.19+) loads the real
// package fine, so this stand-in exists for jest only (see moduleNameMapper in jest.config.js). It
// covers `create`, the one function @fastify/static calls (for downloads, which no test makes).

function create(filename, options) {
  const type = (options && options.type) || 'attachment';
  if (filename === undefined) return type;
  const name = String(filename).split(/[\\/]/).pop();
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '?');
  const header = `${type}; filename="${ascii}"`;
  return ascii === name ? header : `${header}; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function parse() {
  throw new Error('content-disposition.parse is not available under jest (test/jest-shims)');
}

module.exports = { create, parse };
