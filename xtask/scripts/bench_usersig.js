// Times the official npm tls-sig-api-v2 genUserSig: prints the best µs per signature of
// ROUNDS rounds of N signatures. With MODE `distinct`, the clock moves one second per
// signature; with `same`, the real clock is used.
// Usage: node bench_usersig.js NODE_MODULES SDKAPPID KEY N ROUNDS MODE
const [modules, sdkappid, key, n, rounds, mode] = process.argv.slice(2);
const Api = require(require('path').join(modules, 'tls-sig-api-v2')).Api;
const api = new Api(Number(sdkappid), key);
if (mode === 'distinct') {
  let fake = 1700000000 * 1000;
  Date.now = () => (fake += 1000);
}
for (let i = 0; i < Number(n) / 5; i++) api.genUserSig('xiaojun', 86400);
let best = Infinity;
for (let r = 0; r < Number(rounds); r++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < Number(n); i++) api.genUserSig('xiaojun', 86400);
  best = Math.min(best, Number(process.hrtime.bigint() - start) / Number(n) / 1000);
}
console.log(best.toFixed(4));
