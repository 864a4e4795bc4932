#!/usr/bin/env python3
"""Cross-check of WeChat push encryption against PyPI wechatpy (wechatpy.crypto.WeChatCrypto).

Usage (run by `cargo xtask crosscheck` with the venv of ensure-py-venv.sh):

  crosscheck_wechat.py encrypt TOKEN AES_KEY APPID COUNT SEED
      Encrypts COUNT random messages with wechatpy: authorization events (ticket,
      authorized, updateauthorized, unauthorized) and free text of random length and
      script. Prints one JSON object per line: the query values (timestamp, nonce,
      msg_signature), the body wechatpy produced, the plain message, and for events the
      fields a reader must find.

  crosscheck_wechat.py decrypt TOKEN AES_KEY APPID
      Reads JSON lines {timestamp, nonce, msg_signature, body} from stdin, decrypts each
      with wechatpy (which checks the signature and the AppID), and prints
      {"message": ...} per line.
"""

import json
import random
import sys

from wechatpy.crypto import WeChatCrypto

ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.,:;!?@#"
    "<>&\"'/]]>\n\t中文字符测试微信广告流量主😀🚀é"
)


def random_text(rng, max_len):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, max_len)))


def random_token(rng, prefix):
    chars = "abcdefghijklmnopqrstuvwxyz0123456789"
    return prefix + "".join(rng.choice(chars) for _ in range(rng.randint(8, 64)))


def random_appid(rng):
    return "wx" + "".join(rng.choice("0123456789abcdef") for _ in range(16))


def event(rng, appid):
    """A random authorization event: (xml, expected fields)."""
    create_time = rng.randint(1_400_000_000, 1_900_000_000)
    kind = rng.choice(["component_verify_ticket", "authorized", "updateauthorized", "unauthorized"])
    head = (
        f"<xml><AppId><![CDATA[{appid}]]></AppId><CreateTime>{create_time}</CreateTime>"
        f"<InfoType><![CDATA[{kind}]]></InfoType>"
    )
    expected = {"info_type": kind, "app_id": appid, "create_time": create_time}
    if kind == "component_verify_ticket":
        ticket = random_token(rng, "ticket@@@")
        expected["ticket"] = ticket
        return head + f"<ComponentVerifyTicket><![CDATA[{ticket}]]></ComponentVerifyTicket></xml>", expected
    authorizer = random_appid(rng)
    expected["authorizer_appid"] = authorizer
    if kind == "unauthorized":
        return head + f"<AuthorizerAppid><![CDATA[{authorizer}]]></AuthorizerAppid></xml>", expected
    code = random_token(rng, "queryauthcode@@@")
    pre = random_token(rng, "preauthcode@@@")
    expires = create_time + 3600
    expected.update(authorization_code=code, authorization_code_expired_time=expires, pre_auth_code=pre)
    return (
        head
        + f"<AuthorizerAppid><![CDATA[{authorizer}]]></AuthorizerAppid>"
        + f"<AuthorizationCode><![CDATA[{code}]]></AuthorizationCode>"
        + f"<AuthorizationCodeExpiredTime>{expires}</AuthorizationCodeExpiredTime>"
        + f"<PreAuthCode><![CDATA[{pre}]]></PreAuthCode></xml>",
        expected,
    )


def encrypt(token, key, appid, count, seed):
    rng = random.Random(seed)
    random.seed(seed)  # wechatpy draws its 16-byte prefix from the module's generator
    crypto = WeChatCrypto(token, key, appid)
    for i in range(count):
        if i % 2 == 0:
            message, expected = event(rng, appid)
        else:
            message, expected = random_text(rng, 700), None
        timestamp = str(rng.randint(1_400_000_000, 1_900_000_000))
        nonce = str(rng.randint(0, 10**10))
        body = crypto.encrypt_message(message, nonce, timestamp)
        signature = body.split("<MsgSignature><![CDATA[", 1)[1].split("]]>", 1)[0]
        line = {
            "timestamp": timestamp,
            "nonce": nonce,
            "msg_signature": signature,
            "body": body,
            "message": message,
            "event": expected,
        }
        print(json.dumps(line))


def decrypt(token, key, appid):
    crypto = WeChatCrypto(token, key, appid)
    for line in sys.stdin.buffer.read().decode("utf-8").splitlines():
        case = json.loads(line)
        message = crypto.decrypt_message(case["body"], case["msg_signature"], case["timestamp"], case["nonce"])
        print(json.dumps({"message": message}))


def main():
    mode, token, key, appid = sys.argv[1:5]
    if mode == "encrypt":
        encrypt(token, key, appid, int(sys.argv[5]), int(sys.argv[6]))
    elif mode == "decrypt":
        decrypt(token, key, appid)
    else:
        sys.exit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()
