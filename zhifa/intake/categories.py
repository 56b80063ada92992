"""The clue categories a fresh installation starts with (editable afterwards in the admin).

They follow what grid workers and hotlines report most (seeds 000-003: street trading, refuse, fire
hazards, illegal fishing, sand washing, work safety ...), each with the enforcement domain it usually
belongs to; the domain is only a hint for the classification, never a decision about competence.
"""

from __future__ import annotations

# (code, name, domain code or "", sort)
DEFAULT_CATEGORIES: tuple[tuple[str, str, str, int], ...] = (
    ("street-trading", "占道经营", "urban", 10),
    ("refuse", "乱倒垃圾、渣土", "urban", 20),
    ("illegal-building", "违法建设", "urban", 30),
    ("advertising", "违规广告、乱张贴", "urban", 40),
    ("fire-hazard", "消防安全隐患", "fire", 50),
    ("work-safety", "安全生产", "emergency", 60),
    ("pollution", "环境污染（油烟、噪声、污水、焚烧）", "ecology", 70),
    ("fishing", "非法捕捞", "agriculture", 80),
    ("sand", "河道采砂、洗砂", "water", 90),
    ("land", "违法占地、毁林", "natural_resources", 100),
    ("food-market", "食品安全、无照经营", "market", 110),
    ("culture", "文化市场、网吧", "culture_tourism", 120),
    ("other", "其他", "", 999),
)
