// Generates UserSigs with the official npm tls-sig-api-v2 1.0.2 at fixed clocks.
// Prints one JSON object per line (see crosscheck.py for the fields).
// Usage: node crosscheck.js NODE_MODULES_DIR SDKAPPID KEY
const [modules, sdkappid, key] = process.argv.slice(2);
const Api = require(require('path').join(modules, 'tls-sig-api-v2')).Api;
const api = new Api(Number(sdkappid), key);
const identifiers = ['xiaojun', 'administrator', 'user_0001', 'a', 'moderator@example.com', 'x'.repeat(64)];
const expires = [1, 86400, 15552000, 2419200];
const times = [1700000000, 1234567890, 2000000000];
const realNow = Date.now;
for (const now of times) {
  Date.now = () => now * 1000;
  for (const identifier of identifiers) {
    for (const expire of expires) {
      const base = { lib: 'node', sdkappid: Number(sdkappid), identifier, time: now, expire };
      const out = (o) => console.log(JSON.stringify({ ...base, ...o }));
      out({ api: 'genUserSig', usersig: api.genUserSig(identifier, expire) });
      out({ api: 'genPrivateMapKey', usersig: api.genPrivateMapKey(identifier, expire, 10000, 255), room: 10000, privilege: 255 });
      out({
        api: 'genPrivateMapKeyWithStringRoomID',
        usersig: api.genPrivateMapKeyWithStringRoomID(identifier, expire, 'room-42', 2 | 8 | 32),
        room: 'room-42',
        privilege: 2 | 8 | 32,
      });
      out({ api: 'genSig', usersig: api.genSig(identifier, expire, Buffer.from('abc')), userbuf: Buffer.from('abc').toString('hex') });
    }
  }
}
Date.now = realNow;
