"""Figures and named lists, precision first (issue 13, item 4). Each row: a sentence as articles
write it → the figures a careful editor would put on cards (kind, value, unit, display, words the
label must hold). Expected values are written by hand from the sentence."""
import re

import pytest

from site_builder.ingest.extract import figures_in, lists_in
from site_builder.render import charts

B = 1e9
T = 1e12
CASES = [
    # --- no figure from an article or quantifier word
    ("广东走出一条以制造业当家的发展之路，构建一个现代化产业体系。", []),
    ("一家人形机器人企业在港交所上市，这是一条需要长期主义的道路。", []),
    ("Guangdong is one of the country's top 10 manufacturing provinces.", []),
    ("The three largest industries performed as follows.", []),
    ("In 2023 the year 1998 was recalled.", []),
    # --- parts of a whole in every common wording
    ("By sector, 28 out of the province's 41 industries saw increases.",
     [("count", 28, "industries", "28", ["industries saw increases"], "f2"),
      ("count", 41, "industries", "41", ["industries"], None)]),
    ("The province has all 31 manufacturing categories, with 15 of them ranking first in the country.",
     [("count", 31, "categories", "31", ["manufacturing categories"], None),
      ("count", 15, "categories", "15", ["manufacturing categories ranking first"], "f1")]),
    ("41个工业大类行业中，39个行业增加值实现同比增长，增长面为95.1%。",
     [("count", 41, "个", "41个", ["工业大类行业"], None),
      ("count", 39, "个", "39个", ["39个行业增加值实现同比增长"], "f1"),
      ("percent", 95.1, "%", "95.1%", ["增长面为95.1%"], None)]),
    ("拥有31个制造业大类，其中15个位居全国第一。",
     [("count", 31, "个", "31个", ["制造业大类"], None),
      ("count", 15, "个", "15个", ["其中15个位居全国第一"], "f1")]),
    ("全省约三分之一的企业实现了数字化转型。", [("fraction", 1 / 3, "share", "≈ 1/3", ["三分之一的企业"], None)]),
    ("Off-grid solar reaches 8.2 million households — roughly one in six.",
     [("count", 8.2e6, "households", "8.2 million", ["households"], None),
      ("fraction", 1 / 6, "share", "≈ 1/6", ["8.2 million households", "one in six"], None)]),
    ("accounting for about 1/8 of the country’s industrial scale.",
     [("fraction", 0.125, "share", "≈ 1/8", ["the country’s industrial scale"], None)]),
    # --- a part is at least one and at most its whole; a whole of several words is named whole
    ("By sector, 41 out of the province's 41 industries saw increases.",
     [("count", 41, "industries", "41", ["industries saw increases"], "f2"),
      ("count", 41, "industries", "41", ["industries"], None)]),
    ("By sector, 1 out of the province's 41 industries saw increases.",
     [("count", 1, "industries", "1", ["industries saw increases"], "f2"),
      ("count", 41, "industries", "41", ["industries"], None)]),
    ("Only 3 out of 10 private firms exported.",
     [("count", 3, "firms", "3", ["private firms exported"], "f2"),
      ("count", 10, "firms", "10", ["private firms"], None)]),
    # --- a share is less than the whole: a fraction of one or more is not a share (nor a figure)
    ("accounting for about 7/8 of the country’s industrial scale.",
     [("fraction", 0.875, "share", "≈ 7/8", ["the country’s industrial scale"], None)]),
    ("accounting for about 8/8 of the country’s industrial scale.", []),
    ("By sector, 0 out of the province's 41 industries saw increases.",
     [("count", 41, "industries", "41", ["industries"], None)]),
    ("accounting for about 5/4 of the country’s industrial scale.", []),
    ("全省约三分之三的企业实现了数字化转型。", []),
    ("全省约四分之五的企业实现了数字化转型。", []),
    ("全省约8/8的企业实现了转型。", []),
    ("全省约9/8的企业实现了转型。", []),
    # --- a year before a currency word is a year, not an amount
    ("Prices are given in 2015 dollars, the ministry said.", []),
    ("Wages are compared in 1990 US dollars.", []),
    # --- percentage points are their own kind; changes keep their sign
    ("High-tech manufacturing grew 9.1 percent, 8 percentage points higher than traditional industries.",
     [("change", 9.1, "%", "+9.1%", ["High-tech manufacturing grew 9.1 percent"], None),
      ("points", 8, "percentage points", "+8 percentage points", ["High-tech manufacturing", "8 percentage points higher"], None)]),
    ("Automobile manufacturing: value added of 352.8 billion yuan, which declined by -2.7%",
     [("money", 352.8 * B, "CNY", "352.8 billion yuan", ["Automobile manufacturing", "352.8 billion yuan"], None),
      ("change", -2.7, "%", "−2.7%", ["Automobile manufacturing", "declined by -2.7%"], None)]),
    ("Profits fell by 3% in the first half.", [("change", -3, "%", "−3%", ["Profits fell by 3%"], None)]),
    ("The index was -2.7% in May.", [("percent", -2.7, "%", "−2.7%", ["The index was -2.7% in May"], None)]),
    ("The jobless rate dropped 0.4 percentage points to 5.1 percent.",
     [("points", -0.4, "percentage points", "−0.4 percentage points", ["jobless rate dropped"], None),
      ("percent", 5.1, "%", "5.1%", ["jobless rate dropped 0.4 percentage points to 5.1 percent"], None)]),
    ("全国规模以上工业增加值同比增长7.0%，比上年12月份加快0.2个百分点。",
     [("change", 7.0, "%", "+7.0%", ["全国规模以上工业增加值同比增长7.0%"], None),
      ("points", 0.2, "percentage points", "+0.2个百分点", ["加快0.2个百分点"], None)]),
    ("工业利润下降2.3%。", [("change", -2.3, "%", "−2.3%", ["工业利润下降2.3%"], None)]),
    ("It now accounts for 31.5 percent of the industrial total.",
     [("percent", 31.5, "%", "31.5%", ["accounts for 31.5 percent of the industrial total"], None)]),
    # --- Chinese scale words applied to the value
    ("2023年，全省规模以上工业企业营业收入约12.8万亿元，新型显示面板月产能超过18万张。",
     [("money", 12.8 * T, "CNY", "≈ 12.8万亿元", ["营业收入约12.8万亿元"], None),
      ("count", 180_000, "张", "> 18万张", ["新型显示面板月产能超过18万张"], None)]),
    ("全年全省新能源汽车产量达到253万辆，同比增长近八成。",
     [("count", 2_530_000, "辆", "253万辆", ["新能源汽车产量达到253万辆"], None),
      ("change", 80, "%", "≈ +80%", ["同比增长近八成"], None)]),
    ("广东还建设了十大战略性支柱产业集群。", [("count", 10, "个", "十大", ["战略性支柱产业集群"], None)]),
    ("全省工业投资达到1.5亿元。", [("money", 1.5e8, "CNY", "1.5亿元", ["工业投资达到1.5亿元"], None)]),
    # --- physical units are quantities with their unit
    ("The province added 60 gigawatts of solar capacity.",
     [("quantity", 60, "GW", "60 GW", ["added 60 gigawatts of solar capacity"], None)]),
    ("The port handled 1.2 million TEUs and 3,000 tonnes of grain, and built 45 km of rail.",
     [("quantity", 1.2e6, "TEU", "1.2 million TEU", ["port handled 1.2 million TEUs"], None),
      ("quantity", 3000, "t", "3,000 t", ["3,000 tonnes of grain"], None),
      ("quantity", 45, "km", "45 km", ["built 45 km of rail"], None)]),
    ("风电装机容量达到6000万千瓦，发电量达到1200亿千瓦时。",
     [("quantity", 6e7, "kW", "6000万千瓦", ["风电装机容量达到6000万千瓦"], None),
      ("quantity", 1.2e11, "kWh", "1200亿千瓦时", ["发电量达到1200亿千瓦时"], None)]),
    # --- money, counts, spans
    ("Output hit 1.37 trillion yuan ($197.9 billion) in 2023.",
     [("money", 1.37 * T, "CNY", "1.37 trillion yuan", ["Output hit 1.37 trillion yuan"], None)]),
    ("A kit costs KSh 12,500 (€87).", [("money", 12_500, "KES", "KSh 12,500", ["A kit costs KSh 12,500"], None)]),
    ("A kit costs 300 US dollars.", [("money", 300, "USD", "300 us dollars", ["A kit costs 300 US dollars"], None)]),
    ("The reserve covers 120 square kilometres of forest.",
     [("quantity", 120, "km²", "120 km²", ["covers 120 square kilometres"], None)]),
    ("Foshan is home to more than 1,500 robotics and intelligent equipment companies.",
     [("count", 1500, "companies", "> 1,500", ["robotics and intelligent equipment companies"], None)]),
    ("Over the past 40 years of reform and opening up, it grew.",
     [("span", 40, "years", "40 years", ["reform and opening up"], None)]),
    ("Exports of electric cars, batteries and solar cells grew 10.5 times, 50.5 percent and 1.2 times respectively.",
     [("multiple", 10.5, "times", "10.5 times", ["Exports of electric cars grew 10.5 times"], None),
      ("change", 50.5, "%", "+50.5%", ["Exports of batteries grew 50.5 percent"], None),
      ("multiple", 1.2, "times", "1.2 times", ["Exports of solar cells grew 1.2 times"], None)]),
    # --- reading goes on after a figure that holds other numbers (41 is inside the first)
    ("By sector, 28 out of the province's 41 industries saw increases, and output rose 6.1 percent.",
     [("count", 28, "industries", "28", ["industries saw increases"], "f2"),
      ("count", 41, "industries", "41", ["industries"], None),
      ("change", 6.1, "%", "+6.1%", ["output rose 6.1 percent"], None)]),
    # --- a rank at the very start of the paragraph is a rank too
    ("Top 10 firms grew fast.", []),
    ("It ranked 3 places higher.", []),
    # ... but not a word that ends in one
    ("Its exports grew fastest, outranking 3 rivals.", [("count", 3, "rivals", "3", ["rivals"], None)]),
    ("About 30 firms moved here.", [("count", 30, "firms", "≈ 30", ["firms"], None)]),
    # --- points and levels without a direction keep their own sign
    ("The gap was 8 percentage points.", [("points", 8, "percentage points", "8 percentage points", ["gap"], None)]),
    ("The index was -2.7 percentage points in May.",
     [("points", -2.7, "percentage points", "−2.7 percentage points", ["index"], None)]),
    ("The index was -2.7% in May.", [("percent", -2.7, "%", "−2.7%", ["index"], None)]),
    ("Exports rose 5 percent and fell 3 percent.",
     [("change", 5, "%", "+5%", ["Exports rose 5 percent"], None),
      ("change", -3, "%", "−3%", ["fell 3 percent"], None)]),
    ("Output grew 3-5% this year.", [("change", 5, "%", "+5%", ["Output grew"], None)]),  # a range's dash: no minus
    ("The rate was 3-5% in May.", [("percent", 5, "%", "5%", ["rate"], None)]),  # ... with no direction either
    # --- one in N: a share only up to one in 1,000
    ("Roughly one in 1,000 households owns one.", [("fraction", 0.001, "share", "≈ 1/1,000", ["households"], None)]),
    ("Roughly one in 1,001 had one.", []),
    ("Roughly 0 in 10 had one.", []),
    ("Roughly 1,000 in 1,000 had one.", []),   # a share is less than the whole
    ("accounting for about 1 / 8 of the country’s industrial scale.",
     [("fraction", 0.125, "share", "≈ 1/8", ["the country’s industrial scale"], None)]),
    ("It was one of the provinces.", []),
    ("Sales fell 3 times.", []),  # "fell 3 times" does not say by how much
    # --- Chinese amounts: 亿元/万元 scale the yuan; other currencies; points; 成 is tenths
    ("全年实现营业收入12.8亿元。", [("money", 1.28e9, "CNY", "12.8亿元", ["营业收入"], None)]),
    ("企业获得补贴3万元。", [("money", 30_000, "CNY", "3万元", ["补贴"], None)]),
    ("出口额达5亿美元。", [("money", 5e8, "USD", "5亿美元", ["出口额"], None)]),
    ("投资2亿欧元。", [("money", 2e8, "EUR", "2亿欧元", ["投资"], None)]),
    ("融资3亿港元。", [("money", 3e8, "HKD", "3亿港元", ["融资"], None)]),
    ("占比提高2个百分点。", [("points", 2, "percentage points", "+2个百分点", ["占比提高"], None)]),
    ("占比近三成。", [("percent", 30, "%", "≈ 30%", ["占比"], None)]),
    ("占比达到百分之五十。", [("percent", 50, "%", "50%", ["占比"], None)]),
    ("增长面为95.1％。", [("percent", 95.1, "%", "95.1%", ["增长面为95.1％"], None)]),  # a full-width %
    ("占比提高0.5百分点。", [("points", 0.5, "percentage points", "+0.5个百分点", ["占比提高"], None)]),
    ("占比近十成。", []),   # 成 is tenths of a whole: ten of them are not a share
    ("占比近3成。", []),    # and 成 after digits is not read (三成 is)
    # --- Chinese counts: an ordinal (第) and "N大" with digits are no count; 三大 is three
    ("第3个项目完工。", []),
    ("广东有3大产业集群。", []),
    ("广东有三大产业集群。", [("count", 3, "个", "三大", ["产业集群"], None)]),
    ("新增5家企业。", [("count", 5, "家", "5家", ["企业"], None)]),
    # --- a count after another is a part of it only when the text says 中 / 其中
    ("全省有41个行业，39个行业实现增长。",
     [("count", 41, "个", "41个", ["行业"], None), ("count", 39, "个", "39个", ["行业实现增长"], None)]),
    # --- the edges of the rules (make mutate's survivors in ingest/kinds.py)
    # points without a direction keep their own sign, below one and at zero too
    ("The gap was 0.5 percentage points.", [("points", 0.5, "percentage points", "0.5 percentage points", ["gap"], None)]),
    ("The gap was 0 percentage points.", [("points", 0, "percentage points", "0 percentage points", ["gap"], None)]),
    # a minus at the very start of the paragraph is the figure's; a dash after a digit there is a range's;
    # a minus at the paragraph's other end is nobody's
    ("−2.7% was the change in May.", [("percent", -2.7, "%", "−2.7%", ["was the change in May"], None)]),
    ("3-5% of firms export.", [("percent", 5, "%", "5%", ["firms export"], None)]),
    ("5% of firms export to Europe, against −", [("percent", 5, "%", "5%", ["firms export to Europe"], None)]),
    # 成 after a word of direction at the very start of the paragraph
    ("近三成企业实现增长。", [("percent", 30, "%", "≈ 30%", ["企业实现增长"], None)]),
    # a percentage with spaces before its % (text copied from a PDF): only the Chinese pattern reads it
    ("工业利润增长了12  %。", [("change", 12, "%", "+12%", ["工业利润增长了12"], None)]),
    # 亿元 and 万元 after a scale: both scales apply (万万 is 亿)
    ("投资5万万元。", [("money", 5e8, "CNY", "5万万元", ["投资"], None)]),
    ("投资3千万亿元。", [("money", 3e15, "CNY", "3千万亿元", ["投资"], None)]),
    # "N of them" is a part of a count only: not of a percentage
    ("Exports rose 5 percent, and 3 of them were new.", [("change", 5, "%", "+5%", ["Exports rose 5 percent"], None)]),
    # --- a clause with no subject borrows the sentence's: the label is a true statement
    ("Guangdong produced 241,000 industrial robots, up 33.9 percent year-on-year, the bureau said.",
     [("count", 241_000, "robots", "241,000", ["industrial robots"], None),
      ("change", 33.9, "%", "+33.9%", ["Guangdong produced 241,000 industrial robots, up 33.9 percent"], None)]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_figures(text, expected):
    got = figures_in(text, "a#p1", item=text.startswith("Automobile manufacturing:"))
    assert [(f["kind"], f["unit"], f["display"]) for f in got] == [(k, u, d) for k, _, u, d, _, _ in expected]
    for f, (kind, value, unit, display, words, of) in zip(got, expected):
        assert f["value"] == pytest.approx(value, rel=1e-6, abs=1e-6), f
        assert all(w in f["label"] for w in words), f["label"]
        assert f.get("of") == of
        assert f["text"] in text  # quoted, never invented


FILLER = ", made in the cities of the Pearl River Delta and in the hills and ports of its western coast and islands"


@pytest.mark.parametrize("gap,part", [(79, True), (80, False)])
def test_a_part_finds_its_whole_up_to_80_characters_back(gap, part):
    """'N of them' is a part of the count that ends fewer than 80 characters before it."""
    text = "The province has 31 categories" + FILLER[:gap - 1] + " 15 of them ranking first."
    whole = ("count", 31, "categories", "categories", None)
    got = [(f["kind"], f["value"], f["unit"], f["label"], f.get("of")) for f in figures_in(text, "a#p1")]
    assert got == ([whole, ("count", 15, "categories", "categories ranking first", "f1")] if part else [whole])


@pytest.mark.parametrize("spaces,part", [(17, True), (18, False)])
def test_a_chinese_part_finds_its_whole_up_to_20_characters_back(spaces, part):
    """'41个行业中，39个…': the whole ends fewer than 20 characters before the part ('中，' and spaces)."""
    text = "全省有41个行业中，" + " " * spaces + "39个行业实现增长。"
    [whole, counted] = figures_in(text, "a#p1")
    assert (whole["value"], whole["label"]) == (41, "行业")
    assert (counted["value"], counted.get("of")) == (39, "f1" if part else None)
    assert counted["label"] == (text[:-1] if part else "行业实现增长")


def test_a_figure_in_a_list_item_is_labelled_with_the_item():
    item = "Computer, communication and other electronic equipment manufacturing: value added of 1.15 trillion yuan, up 9.8 percent"
    got = figures_in(item, "a#p3", item=True)
    assert [(f["kind"], f["value"], f["label"]) for f in got] == [
        ("money", 1.15e12, "Computer, communication and other electronic equipment manufacturing: value added of 1.15 trillion yuan"),
        ("change", 9.8, "Computer, communication and other electronic equipment manufacturing: value added of 1.15 trillion yuan, up 9.8 percent")]


@pytest.mark.parametrize("text,quoted", [
    ("About 30 firms moved here.", ["About 30 firms"]),   # the quote starts at its qualifier
    ("The index was -2.7% in May.", ["-2.7%"]),
    ("By sector, 28 out of the province's 41 industries saw increases.",
     ["28 out of the province's 41 industries saw increases", "41 industries"]),
    ("占比近三成。", ["三成"]),
    ("占比提高2个百分点左右。", ["2个百分点"]),   # the words after the unit are not quoted
    ("同比增长近八成左右。", ["八成"]),
    # a quote starts at the figure: not at the character before it ('的1/8', '约三分之一')
    ("工业规模约占全国的1/8。", ["1/8"]),
    ("全省约三分之一的企业实现了数字化转型。", ["三分之一"]),
    # a Latin qualifier ('about', 'some') is the lead of a Latin figure only
    ("Almost 三分之一的企业实现了数字化转型。", ["三分之一"]),
    # a lead is looked for in the 30 characters before the number (bounded work per number)
    ("approximately" + " " * 17 + "30 firms moved here.", ["approximately" + " " * 17 + "30 firms"]),
    ("approximately" + " " * 18 + "30 firms moved here.", ["30 firms"]),
])
def test_each_figure_quotes_its_exact_words(text, quoted):
    assert [f["text"] for f in figures_in(text, "a#p1")] == quoted


def test_a_shares_value_is_kept_to_six_decimals():
    """The value written into the page's front matter: six decimals, as a reader checks it."""
    assert [f["value"] for f in figures_in("Roughly one in six households owns one.", "a#p1")] == [0.166667]
    assert [f["value"] for f in figures_in("It made about 1/3 of the country’s output.", "a#p1")] == [0.333333]
    assert [f["value"] for f in figures_in("全省约三分之二的企业实现了数字化转型。", "a#p1")] == [0.666667]


def test_a_part_of_them_is_labelled_with_its_whole():
    """'15 of them' takes its whole's label and what the text says of the part, nothing else."""
    got = figures_in("The province has all 31 manufacturing categories and leads in 15 of them.", "a#p1")
    assert [(f["value"], f["label"], f.get("of")) for f in got] == [
        (31, "manufacturing categories", None), (15, "manufacturing categories", "f1")]


def test_labels_name_what_the_text_says_the_figure_is():
    """A span 'of' something is that thing; a Chinese count's noun of two characters or more is its
    label (a single character is too little: the clause is)."""
    [span] = figures_in("Over the past 40 years of reform and opening up, it grew.", "a#p1")
    assert span["label"] == "reform and opening up"
    [count] = figures_in("新增5家企业。", "a#p1")
    assert count["label"] == "企业"


def test_a_paragraph_is_not_a_list_item_unless_said():
    """Only a list item's figures are labelled with the item's name before its colon."""
    text = "Automobile manufacturing: value added of 352.8 billion yuan"
    default = figures_in(text, "a#p1")
    assert default == figures_in(text, "a#p1", item=False)
    assert default[0]["label"] != figures_in(text, "a#p1", item=True)[0]["label"]
    assert not default[0]["label"].startswith("Automobile manufacturing: ")


def test_at_most_60_figures_per_paragraph_and_the_report_says_so():
    notes: list[str] = []
    exactly = ". ".join(f"Sales rose {i} percent" for i in range(1, 61))
    assert len(figures_in(exactly, "a#p1", notes=notes)) == 60 and notes == []
    got = figures_in(". ".join(f"Sales rose {i} percent" for i in range(1, 62)), "a#p1", notes=notes)
    assert [f["value"] for f in got] == list(range(1, 61))
    assert notes == ["a#p1: figures after the first 60 skipped (a paragraph has at most 60), "
                     "from “61 percent…”"]


def test_numbers_after_the_first_600_are_not_read_and_the_report_says_so():
    def text(items: int) -> str:  # 'Item 0. Item 1. …': numbers without a figure, then one
        return ". ".join(f"Item {i}" for i in range(items)) + ". Sales rose 5 percent."

    notes: list[str] = []
    # the figure is the 600th number: read
    assert [(f["kind"], f["value"]) for f in figures_in(text(599), "a#p1", notes=notes)] == [("change", 5)]
    assert notes == []
    # the 701st: not read, however far after the 600th it is
    assert figures_in(text(700), "a#p1", notes=notes) == []
    assert notes == ["a#p1: numbers after the first 600 not read (a paragraph has at most 600), "
                     "from “600. Item 601. Item 602. Item 603. Item …”"]


def test_a_figure_without_a_checkable_label_is_left_out():
    assert figures_in("1% and " * 100, "a#p1") == []


@pytest.mark.parametrize("text,title,items", [
    ("The province has created ten strategic pillar industry clusters, such as new generation electronic "
     "information, smart home appliances, and automobile industry, along with more.",
     "Strategic pillar industry clusters",
     ["new generation electronic information", "smart home appliances", "automobile industry"]),
    ("Output of the province's eight strategic industry clusters, such as electronic information, green "
     "petrochemicals, smart home appliances, automobiles, advanced materials, modern light industry and textiles, "
     "software and information services and biomedicine and health, reached 10 trillion yuan in 2023.",
     "Strategic industry clusters",
     ["electronic information", "green petrochemicals", "smart home appliances", "automobiles", "advanced materials",
      "modern light industry and textiles", "software and information services", "biomedicine and health"]),
    ("It has plants in industrial towns such as Ingolstadt, Burghausen and Schweinfurt.", "Industrial towns",
     ["Ingolstadt", "Burghausen", "Schweinfurt"]),
    ("Money came from firms such as M-KOPA, Sun King and d.light.", "Firms", ["M-KOPA", "Sun King", "d.light"]),
    ("It is a place such as this.", None, None),
])
def test_named_lists(text, title, items):
    found = lists_in(text, "a#p1", figures_in(text, "a#p1"))
    if title is None:
        assert found == []
    else:
        assert (found[0]["title"], found[0]["items"]) == (title, items)
        assert all(i in text for i in found[0]["items"]) and found[0]["text"] in text


def _drawn(figures):
    for f in figures:
        f["source_href"] = "/s/#p1"
    return " ".join(str(c) for c in charts.charts_for(figures))


def test_charts_never_draw_points_or_changes_as_shares():
    figs = figures_in("High-tech manufacturing grew 9.1 percent, 8 percentage points higher than traditional "
                      "industries, and accounted for 31.5 percent of the industrial total.", "s#p1")
    assert [f["kind"] for f in figs] == ["change", "points", "percent"]
    html = _drawn(figs)
    assert html.count('class="chart chart-share"') == 1 and "31.5%" in html
    # the title is the percent's own clause (what it measures); no value drawn or listed is another one
    drawn = re.sub(r'<span class="chart-title">.*?</span>|<title [^>]*>.*?</title>', "", html)
    assert "9.1" not in drawn and "8 percentage" not in drawn


def test_charts_draw_no_negative_bar():
    figs = figures_in("Sales were 12 billion yuan, costs were 5 billion yuan and the index was -2.7%.", "s#p1")
    html = _drawn(figs)
    assert html.count("<rect") == 2 and 'width="-' not in html


# --- the article corpus: every article's figures against its hand-written expectations --------

def _quality():
    import importlib.util
    from pathlib import Path
    path = Path(__file__).parent.parent / "bench" / "ingest_quality.py"
    spec = importlib.util.spec_from_file_location("ingest_quality", path)
    module = importlib.util.module_from_spec(spec)
    import sys
    sys.modules["ingest_quality"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


QUALITY = _quality()


@pytest.mark.parametrize("name", QUALITY.names())
def test_corpus_figures(name):
    res = QUALITY.evaluate(name)
    assert res.figures is not None, f"{name}.expect.yaml lists no figures"
    expected, produced, right, invented = res.figures
    assert (invented, res.wrong_figures, res.missed_figures) == (0, [], [])
    assert right == expected == produced


def test_corpus_figure_targets():
    """Issue 13's targets over the whole corpus: precision >= 98 %, recall >= 85 %, 0 invented."""
    figs = [QUALITY.evaluate(n).figures for n in QUALITY.names()]
    expected, produced, right, invented = (sum(f[i] for f in figs) for i in range(4))
    assert invented == 0 and right >= 0.98 * produced and right >= 0.85 * expected


def test_cards_and_charts_show_each_kind_as_it_is(tmp_path):
    """On a built theme page: a decrease keeps its minus, percentage points say so, a quantity
    has its unit, a part shows its whole, and only a share is drawn as a share."""
    from conftest import run, write_site
    text = ("Industry report\n\nBy sector, 28 out of the province's 41 industries saw increases.\n\n"
            "Automobile output fell by 2.7 percent, 8 percentage points lower than in 2022, and accounted "
            "for 31.5 percent of the industrial total; wind capacity reached 60 gigawatts.\n")
    root = write_site(tmp_path / "site", {"seeds/report.txt": text})
    for args in (("ingest",), ("build",)):
        assert run(*args, cwd=root).returncode == 0
    html = (root / "_site/overview/index.html").read_text()
    values = re.findall(r'<p class="figure-value">(.*?)</p>', html)
    assert values == ['28<span class="figure-whole"> of 41</span>', "41", "−2.7%", "−8 percentage points",
                      "31.5%", "60 GW"]
    assert html.count('class="chart chart-share"') == 1 and html.count('class="chart chart-waffle"') == 1


def test_a_hand_written_figure_needs_no_kind_unit_or_display(tmp_path):
    """Only value, label, text and source are required: such a figure is listed with its value
    (and unit), never drawn, and never an internal error."""
    from conftest import page, run, write_site
    figures = [{"value": 12, "label": "plants", "text": "only", "source": "src#p1"},
               {"value": 3.5, "unit": "GW", "label": "capacity", "text": "paragraph", "source": "src#p1"}]
    root = write_site(tmp_path / "site", {
        "content/a.md": page("A", "See [the source](sources/src.md).", figures=figures),
        "content/sources/src.md": page("Src", "The only paragraph.\n{: #p1 }", seed="seeds/none.txt")})
    r = run("build", cwd=root)
    assert r.returncode == 0, r.stderr
    html = (root / "_site/index.html").read_text()  # the home page lists every figure
    assert re.findall(r'<p class="figure-value">(.*?)</p>', html) == ["12", "3.5 GW"]
    assert "chart-svg" not in html
