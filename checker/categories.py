"""The fixed vocabulary of finding categories (documented in the README).

A rule's category is how users select or ignore groups of rules and how
reports group findings; an unknown category in a rule file is a load error.
"""

CATEGORIES: dict[str, str] = {
    "input": "输入数据问题（缺失、格式错误、可疑取值）",
    "subsidy": "装配式建筑补贴资格（新政办〔2022〕34号）",
    "prefab-mandate": "政府投资项目应采用装配式建筑",
    "doc-number-format": "发文字号格式（GB/T 9704-2012 7.2.5）",
    "date-format": "成文日期格式（GB/T 9704-2012 7.3.5.4）",
    "date-consistency": "日期前后一致",
    "issuer-consistency": "发文机关层级与自称一致",
    "document-meta": "公文要素识别",
    "typo": "错别字",
    "count-mismatch": "数量与列举不符",
    "review": "转发前双人审核",
    "one-day-handling": "一件事一次办：一个工作日办结",
    "approval-stages": "审批环节数对标",
    "approval-duration": "审批总用时对标",
    "waiver": "豁免声明问题",
}

