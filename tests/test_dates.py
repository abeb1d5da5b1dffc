from datetime import date, datetime

import pytest

from flows.transforms.dates import parse_dateline, parse_dateline_with_offset, resolve_event_date


@pytest.mark.parametrize(
    ("line", "expected", "precision"),
    [
        ("Sat Aug 27, 2016 08:57:09", datetime(2016, 8, 27, 8, 57, 9), "second"),
        ("June 12, 2018", datetime(2018, 6, 12), "day"),
        ("Published: 15/01/2020", datetime(2020, 1, 15), "day"),
        ("Updated 03/04/2021", datetime(2021, 4, 3), "day"),  # ambiguous: day first
        ("2019-08-27T14:30:00Z", datetime(2019, 8, 27, 14, 30), "second"),
        ("Updated: 2019-08-27 14:30", datetime(2019, 8, 27, 14, 30), "minute"),
        ("2019-08-27T14:30:05+03:00", datetime(2019, 8, 27, 11, 30, 5), "second"),
        ("Posted on 5 March 2022 at 6:15 pm", datetime(2022, 3, 5, 18, 15), "minute"),
        ("By Jane Doe | November 3rd, 2021", datetime(2021, 11, 3), "day"),
        ("August 2016", datetime(2016, 8, 1), "month"),
    ],
)
def test_common_dateline_formats(line, expected, precision):
    assert parse_dateline(line) == (expected, precision)


@pytest.mark.parametrize(
    "line",
    [
        "Villagers watch as tanks gather near the border on January 21, 2018 at Hassa, in Hatay province.",
        "The ministers met in Geneva to discuss the ceasefire that began in March 2016 and later collapsed.",
        "No date here at all",
        "February 30, 2020",
    ],
)
def test_a_sentence_mentioning_a_date_is_not_a_dateline(line):
    assert parse_dateline(line) == (None, None)


PUBLISHED = datetime(2016, 8, 27, 8, 57, 9)  # a Saturday


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("On Friday, the two presidents held telephone talks.", (date(2016, 8, 26), "day")),
        ("The ministers spoke Nov. 1 in Moscow.", (date(2015, 11, 1), "day")),
        ("The ministers spoke on Aug. 25 in Moscow.", (date(2016, 8, 25), "day")),
        ("Russia ceased air strikes 16 days ago.", (date(2016, 8, 11), "day")),
        ("Last week the leaders held a summit.", (date(2016, 8, 20), "week")),
        ("The army launched the operation in late July.", (date(2016, 7, 1), "month")),
        ("A jet was shot down in November 2015.", (date(2015, 11, 1), "month")),
        ("The deal was signed on March 3, 2014 in Kyiv.", (date(2014, 3, 3), "day")),
        ("The leaders met without any date given.", (None, None)),
    ],
)
def test_relative_dates_resolve_against_the_publication_date(sentence, expected):
    assert resolve_event_date(sentence, 0, PUBLISHED) == expected


def test_relative_date_without_publication_date_is_null_never_today():
    assert resolve_event_date("On Friday, the two presidents held talks.", 0, None) == (None, None)
    assert resolve_event_date("Russia ceased air strikes 16 days ago.", 0, None) == (None, None)


def test_explicit_date_with_year_stands_without_publication_date():
    assert resolve_event_date("The deal was signed on March 3, 2014 in Kyiv.", 0, None) == (date(2014, 3, 3), "day")


def test_the_date_nearest_the_verb_wins():
    sentence = "In a statement on Nov. 2, the ministry said the chiefs met on Nov. 1."
    assert resolve_event_date(sentence, sentence.index("met"), PUBLISHED) == (date(2015, 11, 1), "day")


@pytest.mark.parametrize(
    ("line", "utc", "offset"),
    [
        ("Dec 2, 2026 11:58 PM IST", datetime(2026, 12, 2, 18, 28), 330),
        ("Published 03 Oct 2024 10:15 BST", datetime(2024, 10, 3, 9, 15), 60),
        ("Updated: July 4, 2024 9:30 a.m. EDT", datetime(2024, 7, 4, 13, 30), -240),
        ("January 9, 2024 9:30 a.m. ET", datetime(2024, 1, 9, 14, 30), -300),  # ET in winter is EST
        ("July 9, 2024 9:30 a.m. ET", datetime(2024, 7, 9, 13, 30), -240),  # and EDT in summer
        ("5 March 2022 18:15 (AEDT)", datetime(2022, 3, 5, 7, 15), 660),
        ("2024-10-03 10:15 MSK", datetime(2024, 10, 3, 7, 15), 180),
        ("03 Oct 2024 10:15 GMT+3", datetime(2024, 10, 3, 7, 15), 180),
        ("2019-08-27T14:30:05+05:45", datetime(2019, 8, 27, 8, 45, 5), 345),
        ("2019-08-27T14:30:00Z", datetime(2019, 8, 27, 14, 30), 0),
        ("03 Oct 2024 10:15 WIB", datetime(2024, 10, 3, 3, 15), 420),
        ("Oct 3, 2024 8:00 PM PST", datetime(2024, 10, 4, 4, 0), -480),
        ("Oct 3, 2024 8:00 PM", datetime(2024, 10, 3, 20, 0), None),  # no zone printed: as printed, offset unknown
    ],
)
def test_a_printed_time_zone_gives_utc_and_keeps_the_offset(line, utc, offset):
    stamp, _, kept = parse_dateline_with_offset(line)
    assert (stamp, kept) == (utc, offset)


def test_a_lower_case_word_after_a_time_is_not_a_zone():
    assert parse_dateline_with_offset("Oct 3, 2024 8:00 pm est")[2] is None


WEDNESDAY = datetime(2026, 12, 2, 9, 0)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The ministers will meet next Friday in Oslo.", date(2026, 12, 4)),
        ("The two leaders will hold talks on Friday.", date(2026, 12, 4)),
        ("Talks are due to be held on Monday in Geneva.", date(2026, 12, 7)),
        ("The summit is scheduled for Wednesday.", date(2026, 12, 9)),  # a plan for today would say today
        ("The ministers met on Friday in Oslo.", date(2026, 11, 27)),
        ("They met last Wednesday.", date(2026, 11, 25)),
        ("He will resign, the minister said on Monday.", date(2026, 11, 30)),  # the saying is past
    ],
)
def test_a_relative_weekday_follows_the_sentences_tense(sentence, expected):
    assert resolve_event_date(sentence, 0, WEDNESDAY) == (expected, "day")
