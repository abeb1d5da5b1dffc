from datetime import date, datetime

import pytest

from flows.transforms.dates import parse_dateline, resolve_event_date


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
