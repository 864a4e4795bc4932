"""An independent TIM REST client for the emulator.

Built from the Tencent IM documentation only: the official PyPI package
tls-sig-api-v2 makes the UserSigs, and plain urllib sends the requests. It exercises
the blocklist, friends and account endpoints and the common error codes, and exits
non-zero on the first mismatch.

usage: tim_client.py BASE_URL SDKAPPID SECRET_KEY ADMIN
"""

import json
import random
import sys
import urllib.parse
import urllib.request

import TLSSigAPIv2

BASE, SDKAPPID, KEY, ADMIN = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
API = TLSSigAPIv2.TLSSigAPIv2(SDKAPPID, KEY)
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
checks = 0


def call(command, body, identifier=ADMIN, usersig=None, query=None):
    params = query if query is not None else {
        "sdkappid": SDKAPPID,
        "identifier": identifier,
        "usersig": usersig if usersig is not None else API.gen_sig(identifier),
        "random": random.randint(0, 4294967295),
        "contenttype": "json",
    }
    url = "%s/v4/%s?%s" % (BASE, command, urllib.parse.urlencode(params))
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
    with OPENER.open(request, timeout=30) as response:
        if response.status != 200:
            raise AssertionError("HTTP %d for %s" % (response.status, command))
        return json.loads(response.read().decode("utf-8"))


def expect(what, got, wanted):
    global checks
    checks += 1
    if got != wanted:
        raise AssertionError("%s: got %r, wanted %r" % (what, got, wanted))


def codes(reply, field="ResultItem"):
    return [item["ResultCode"] for item in reply[field]]


# Accounts.
r = call("im_open_login_svc/multiaccount_import", {"Accounts": ["py_a", "py_b", "py_c"]})
expect("multiaccount_import", (r["ActionStatus"], r["ErrorCode"]), ("OK", 0))
r = call("im_open_login_svc/account_import", {"UserID": "py_d", "Nick": "D"})
expect("account_import", r["ErrorCode"], 0)

# Friends, then blocking ends the friendship both ways.
r = call("sns/friend_add", {"From_Account": "py_a", "AddFriendItem": [{"To_Account": "py_b", "AddSource": "AddSource_Type_Python"}]})
expect("friend_add", codes(r), [0])
r = call("sns/friend_check", {"From_Account": "py_a", "To_Account": ["py_b"], "CheckType": "CheckResult_Type_Both"})
expect("friend_check before", r["InfoItem"][0]["Relation"], "CheckResult_Type_BothWay")

r = call("sns/black_list_add", {"From_Account": "py_a", "To_Account": ["py_b", "py_c", "py_ghost"]})
expect("black_list_add status", (r["ActionStatus"], r["ErrorCode"], r["ErrorInfo"]), ("OK", 0, ""))
expect("black_list_add items", codes(r), [0, 0, 30003])
expect("black_list_add Fail_Account", r["Fail_Account"], ["py_ghost"])
expect("black_list_add item fields", sorted(r["ResultItem"][0]), ["ResultCode", "ResultInfo", "To_Account"])

r = call("sns/friend_check", {"From_Account": "py_a", "To_Account": ["py_b"], "CheckType": "CheckResult_Type_Both"})
expect("friend_check after blocking", r["InfoItem"][0]["Relation"], "CheckResult_Type_NoRelation")
r = call("sns/friend_add", {"From_Account": "py_b", "AddFriendItem": [{"To_Account": "py_a", "AddSource": "AddSource_Type_Python"}]})
expect("friend request to a blocker", codes(r), [30525])

# Relations.
r = call("sns/black_list_check", {"From_Account": "py_b", "To_Account": ["py_a", "py_d"], "CheckType": "BlackCheckResult_Type_Both"})
expect("check Both", [i["Relation"] for i in r["BlackListCheckItem"]], ["BlackCheckResult_Type_BWithA", "BlackCheckResult_Type_NO"])
expect("check Both has no Fail_Account", "Fail_Account" in r, False)
r = call("sns/black_list_check", {"From_Account": "py_a", "To_Account": ["py_b"], "CheckType": "BlackCheckResult_Type_Single"})
expect("check Single", r["BlackListCheckItem"][0]["Relation"], "BlackCheckResult_Type_AWithB")

# Paging.
seen, start = [], 0
while True:
    r = call("sns/black_list_get", {"From_Account": "py_a", "StartIndex": start, "MaxLimited": 1, "LastSequence": 0})
    expect("black_list_get", r["ErrorCode"], 0)
    seen += [item["To_Account"] for item in r["BlackListItem"]]
    start = r["StartIndex"]
    if start == 0:
        break
expect("paged blocklist", seen, ["py_b", "py_c"])

r = call("sns/black_list_delete", {"From_Account": "py_a", "To_Account": ["py_c"]})
expect("black_list_delete", codes(r), [0])

# Common errors.
r = call("sns/black_list_get", {"From_Account": "py_a", "StartIndex": 0, "MaxLimited": 10, "LastSequence": 0}, identifier="py_a")
expect("non-admin", (r["ActionStatus"], r["ErrorCode"]), ("FAIL", 30004))
wrong_key = TLSSigAPIv2.TLSSigAPIv2(SDKAPPID, "not-the-key").gen_sig(ADMIN)
r = call("sns/black_list_get", {}, usersig=wrong_key)
expect("wrong key", r["ErrorCode"], 70009)
# The emulator's clock runs an hour ahead of this machine's (see python_client.rs), so a
# UserSig valid for one minute from now has expired for it.
r = call("sns/black_list_get", {}, usersig=API.gen_sig(ADMIN, 60))
expect("expired", r["ErrorCode"], 70001)
r = call("sns/black_list_get", {}, usersig=API.gen_sig("py_a"))
expect("identifier mismatch", r["ErrorCode"], 70013)
r = call("sns/black_list_get", {}, usersig=TLSSigAPIv2.TLSSigAPIv2(SDKAPPID + 1, KEY).gen_sig(ADMIN))
expect("app mismatch", r["ErrorCode"], 70014)
r = call("sns/black_list_get", b"")
expect("empty body", r["ErrorCode"], 60003)
r = call("sns/black_list_get", {}, query={"sdkappid": SDKAPPID, "identifier": ADMIN, "usersig": API.gen_sig(ADMIN), "contenttype": "json"})
expect("missing random", r["ErrorCode"], 60002)
r = call("sns/black_list_add", {"From_Account": "py_a", "To_Account": ["u%d" % i for i in range(1001)]})
expect("more than 1000", r["ErrorCode"], 30001)

print("python TIM client: %d checks passed" % checks)
