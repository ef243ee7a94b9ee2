// fhirclient's lib/security/browser.js uses globalThis.crypto when present and only falls back to
// require("isomorphic-webcrypto").default; every browser Augur supports has Web Crypto.
module.exports = { default: globalThis.crypto };
