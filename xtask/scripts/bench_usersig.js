// Times the official npm tls-sig-api-v2 genUserSig: prints the best µs per signature of
// ROUNDS rounds of N signatures. Usage: node bench_usersig.js NODE_MODULES SDKAPPID KEY N ROUNDS
const [modules, sdkappid, key, n, rounds] = process.argv.slice(2);
const Api = require(require('path').join(modules, 'tls-sig-api-v2')).Api;
const api = new Api(Number(sdkappid), key);
for (let i = 0; i < Number(n) / 5; i++) api.genUserSig('xiaojun', 86400);
let best = Infinity;
for (let r = 0; r < Number(rounds); r++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < Number(n); i++) api.genUserSig('xiaojun', 86400);
  best = Math.min(best, Number(process.hrtime.bigint() - start) / Number(n) / 1000);
}
console.log(best.toFixed(4));
