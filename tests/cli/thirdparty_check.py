#!/usr/bin/env python3
"""Check the third-party hand-off of tests/cli/handoff_thirdparty.t (usage: DIR).

The Intune files must have the shape of Microsoft Graph's
deviceManagementConfigurationPolicy (POST /beta/deviceManagement/configurationPolicies:
name, description, platforms, technologies, roleScopeTagIds, settings[] of
deviceManagementConfigurationSetting whose settingInstance is a choice or simple
setting instance with its settingDefinitionId and value); the Jamf files the shape of
the Jamf Pro API patch-policies object (PatchPolicyV2: name, enabled,
targetPatchVersion, deploymentMethod, isDowngrade, selfServiceDeadline, ...). Every
summary entry must target a version above what the asset runs. Prints one line per
file checked; exits 1 naming the file and field of the first mistake."""
import json
import os
import re
import sys

ODATA = "#microsoft.graph.deviceManagementConfiguration"


def fail(path, msg):
    print(f"{path}: {msg}")
    sys.exit(1)


def want(path, obj, key, typ):
    if key not in obj:
        fail(path, f"missing '{key}'")
    if not isinstance(obj[key], typ) or (typ is int and isinstance(obj[key], bool)):
        fail(path, f"'{key}' is {type(obj[key]).__name__}, want {typ.__name__}")
    return obj[key]


def instance(path, inst):
    kind = want(path, inst, "@odata.type", str)
    sid = want(path, inst, "settingDefinitionId", str)
    if not re.fullmatch(r"[a-z0-9_~.]+", sid):
        fail(path, f"settingDefinitionId '{sid}' is not a setting definition id")
    if kind == ODATA + "ChoiceSettingInstance":
        val = want(path, inst, "choiceSettingValue", dict)
        if want(path, val, "@odata.type", str) != ODATA + "ChoiceSettingValue":
            fail(path, "choiceSettingValue.@odata.type")
        if not want(path, val, "value", str).startswith(sid + "_"):
            fail(path, f"choice value of {sid} is not one of its options")
        for child in want(path, val, "children", list):
            instance(path, child)
    elif kind == ODATA + "SimpleSettingInstance":
        val = want(path, inst, "simpleSettingValue", dict)
        if want(path, val, "@odata.type", str) != ODATA + "IntegerSettingValue":
            fail(path, "simpleSettingValue.@odata.type")
        want(path, val, "value", int)
    else:
        fail(path, f"settingInstance type '{kind}'")


def intune(path, doc):
    if want(path, doc, "@odata.type", str) != ODATA + "Policy":
        fail(path, "@odata.type")
    for key in ("name", "description"):
        want(path, doc, key, str)
    if want(path, doc, "platforms", str) != "windows10":
        fail(path, "platforms")
    if want(path, doc, "technologies", str) != "mdm":
        fail(path, "technologies")
    want(path, doc, "roleScopeTagIds", list)
    settings = want(path, doc, "settings", list)
    if not settings:
        fail(path, "no settings")
    for s in settings:
        if want(path, s, "@odata.type", str) != "#microsoft.graph.deviceManagementConfigurationSetting":
            fail(path, "settings[].@odata.type")
        instance(path, want(path, s, "settingInstance", dict))


def jamf(path, doc):
    types = {"name": str, "enabled": bool, "targetPatchVersion": str, "deploymentMethod": str,
             "softwareTitleConfigurationId": str, "isDowngrade": bool,
             "isPatchUnknownVersion": bool, "killAppsDelayMinutes": int, "killAppsMessage": str,
             "selfServiceEnforceDeadline": bool, "selfServiceDeadline": int,
             "installButtonText": str, "selfServiceDescription": str,
             "notificationHeader": str, "reminderEnabled": bool, "reminderFrequency": int}
    for key, typ in types.items():
        want(path, doc, key, typ)
    extra = set(doc) - set(types)
    if extra:
        fail(path, f"unknown field(s) {sorted(extra)}")
    if doc["deploymentMethod"] not in ("SelfService", "Automatic"):
        fail(path, "deploymentMethod")
    if doc["isDowngrade"]:
        fail(path, "isDowngrade is true")


def vkey(v):
    return [int(x) if x.isdigit() else x for x in re.findall(r"\d+|[a-z]+", v.lower())]


def summary(path, doc):
    for i, sw in enumerate(want(path, doc, "software", list)):
        if sw["installed"] and not vkey(sw["target"]) > vkey(sw["installed"]):
            fail(path, f"software[{i}]: target {sw['target']} is not above {sw['installed']}")


def main():
    root = os.path.join(sys.argv[1], "thirdparty")
    for sub, check in (("intune", intune), ("jamf", jamf), ("", summary)):
        d = os.path.join(root, sub)
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if not name.endswith(".json") or name in ("approvals.json", "projects.json"):
                continue
            check(path, json.load(open(path)))
            print(f"ok {os.path.join(sub, name) if sub else name}")


main()
