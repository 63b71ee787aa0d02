"""Severities of findings, most severe first, with their rank and their Chinese label."""

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
