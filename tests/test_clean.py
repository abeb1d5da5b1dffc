from datetime import datetime

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.extract import decoded_documents, list_source_files, read_raw_documents
from flows.transforms.clean import clean_pages

from .conftest import PAGES, SAMPLES


def _clean(folder):
    documents = decoded_documents(read_raw_documents(list_source_files(folder)))
    return clean_pages(documents.filter(pl.col("problem").is_null()))


def _article(cleaned, source_file):
    return cleaned.articles.filter(pl.col("source_file") == source_file).row(0, named=True)


def _page(text: str) -> pl.DataFrame:
    return pl.DataFrame({"source_file": ["page.txt"], "content_sha256": ["0" * 64], "text": [text], "encoding": ["utf-8"]})


CLEANED = _clean(PAGES)


def test_dateline_with_seconds_gives_second_precision():
    article = _article(CLEANED, "dateline_with_seconds.txt")
    assert article["published_at"] == datetime(2023, 3, 14, 16, 5, 42)
    assert article["published_precision"] == "second"


def test_repeated_headline_is_one_title_and_not_in_body():
    article = _article(CLEANED, "dateline_with_seconds.txt")
    assert article["title"] == "Kenya and Ethiopia Sign Border Trade Accord"
    assert "Sign Border Trade Accord" not in article["body"]
    assert "Tue Mar 14, 2023" not in article["body"]


def test_comment_section_is_not_part_of_body_and_its_date_is_not_the_publication_date():
    article = _article(CLEANED, "dateline_with_seconds.txt")
    assert "Leave a Reply" not in article["body"] and "Hope it lasts" not in article["body"]
    assert article["body"].endswith("review progress.")


def test_no_publication_date_is_invented_from_caption_related_list_or_comments():
    article = _article(CLEANED, "no_dateline.txt")
    assert article["published_at"] is None and article["published_precision"] is None
    for leaked in ("Porto Alegre on May 6", "Drought Hits Amazon", "My cousin", "Related Stories"):
        assert leaked not in article["body"]


def test_donation_widget_share_buttons_php_dump_caption_and_spam_link_are_removed():
    body = _article(CLEANED, "widgets_and_spam.txt")["body"]
    for leaked in ("€", "Donate", "Share", "Tweet", 'string(402) "', "AFP PHOTO", "cheap-pills", "john in:", "Great post"):
        assert leaked not in body, leaked
    assert body.startswith("Indonesia recalled its ambassador from Beijing")
    assert body.endswith("entered Indonesian waters.")


def test_removed_segments_keep_what_was_cut_with_its_kind():
    article_id = _article(CLEANED, "widgets_and_spam.txt")["article_id"]
    removed = CLEANED.removed_segments.filter(pl.col("article_id") == article_id)
    kinds = dict(removed.group_by("kind").len().iter_rows())
    assert kinds["widget"] >= 6 and kinds["caption"] == 1 and kinds["link"] == 1 and kinds["code_dump"] == 1
    dump = removed.filter(pl.col("kind") == "code_dump")["text"][0]
    assert dump.startswith('string(402) "[{"id":"88120"') and dump.endswith('"}]"')


def test_day_first_numeric_dateline_with_label():
    article = _article(CLEANED, "windows_1252.txt")
    assert (article["published_at"], article["published_precision"]) == (datetime(2020, 1, 15), "day")


def test_boilerplate_only_page_is_rejected_with_a_reason():
    rejected = CLEANED.rejected.filter(pl.col("source_file") == "nested/deeper/boilerplate_only.txt")
    assert rejected.height == 1
    assert rejected["reason"][0].startswith("no article text: 0 words of story")


def test_page_without_headline_has_no_title():
    text = (
        "Officials in Lagos said on Monday that the new rail line would open next month after delays.\n"
        "The line links the port to the mainland and is expected to carry thousands of commuters a day."
    )
    cleaned = clean_pages(_page(text))
    assert cleaned.articles["title"][0] is None
    assert cleaned.articles["body"][0].startswith("Officials in Lagos")


def test_headline_glued_to_first_paragraph_is_cut_off_it():
    text = (
        "Rail strike halts trains across France\n\n"
        "Rail strike halts trains across France Unions at the state railway stopped most trains on Tuesday "
        "in protest at pension changes, leaving commuters stranded in Paris and Lyon.\n\n"
        "The transport minister urged both sides to return to talks before the holiday weekend."
    )
    article = clean_pages(_page(text)).articles.row(0, named=True)
    assert article["title"] == "Rail strike halts trains across France"
    assert article["body"].startswith("Unions at the state railway")


def test_a_comment_counter_above_the_story_does_not_swallow_it():
    text = (
        "Talks resume in Doha\n3 Comments\n\n"
        "Negotiators from both sides returned to Doha on Sunday for a new round of talks on a ceasefire and "
        "the exchange of prisoners, mediators said.\n\n"
        "The previous round ended without agreement after four days of meetings in the Qatari capital."
    )
    body = clean_pages(_page(text)).articles["body"][0]
    assert body.startswith("Negotiators from both sides") and "mediators said." in body


def test_sample_pages_keep_their_story_and_lose_their_noise():
    cleaned = _clean(SAMPLES)
    assert cleaned.articles.height == 5
    bodies = "\n".join(cleaned.articles["body"])
    for leaked in ('string(1126) "', "Notify of", "Support SouthFront", "viagra", "Comments are closed", "Photo credit"):
        assert leaked not in bodies, leaked
    assert cleaned.articles.filter(pl.col("published_at").is_not_null()).height == 1


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600))
def test_any_text_cleans_without_crashing_and_the_body_is_made_of_input_lines(text):
    from flows.extract import normalise_text

    text = normalise_text(text)
    cleaned = clean_pages(_page(text))
    for body in cleaned.articles["body"]:
        for paragraph in body.split("\n\n"):
            assert paragraph.strip() in text


_WORDS = st.sampled_from(
    ["the", "minister", "said", "on", "Friday", "talks", "Comments", "Share", "€", "5", "http://x.example/a", "in:",
     "...", "Photo", "(AFP)", "string(3)", '"abc"', "Published:", "12/03/2020", "Ankara", "ü", "—", "“", "."]
)  # fmt: skip
_LINES = st.lists(st.lists(_WORDS, min_size=1, max_size=40).map(" ".join), min_size=1, max_size=25)


@settings(max_examples=150, deadline=None)
@given(_LINES)
def test_page_like_text_cleans_to_a_body_made_only_of_input_lines(lines):
    text = "\n".join(lines)
    cleaned = clean_pages(_page(text))
    assert cleaned.articles.height + cleaned.rejected.height == 1
    for body in cleaned.articles["body"]:
        for paragraph in body.split("\n\n"):
            assert paragraph in text


def test_a_wire_dateline_opening_the_story_gives_place_and_date():
    text = (
        "Storm Hits Coast\n\nHAVANA, Oct 9, 2022 (Wire) - A hurricane knocked out power across western Cuba on Sunday, "
        "the state electricity company said, leaving millions of people without light or water.\n\n"
        "Officials said repairs could take several days in the worst-hit provinces."
    )
    article = clean_pages(_page(text)).articles.row(0, named=True)
    assert (article["dateline_place"], article["published_at"], article["published_precision"]) == ("HAVANA", datetime(2022, 10, 9), "day")


def test_a_capitalised_place_without_date_is_still_the_dateline_place():
    text = (
        "Talks Resume\n\nNAIROBI: Negotiators from both sides returned to the table on Monday for a new round of talks "
        "on the ceasefire and on the release of prisoners, the mediators said in a short statement."
    )
    article = clean_pages(_page(text)).articles.row(0, named=True)
    assert article["dateline_place"] == "NAIROBI" and article["published_at"] is None
    ordinary = clean_pages(_page(text.replace("NAIROBI: Negotiators", "Negotiators"))).articles.row(0, named=True)
    assert ordinary["dateline_place"] is None


def test_two_files_with_the_same_text_are_cleaned_once():
    text = (PAGES / "dateline_with_seconds.txt").read_text(encoding="utf-8")
    one = clean_pages(_page(text))
    two = clean_pages(pl.concat([_page(text), _page(text).with_columns(source_file=pl.lit("copy.txt"))]))
    assert two.articles.height == 1 and two.page_articles.height == 2
    assert two.articles["body"].to_list() == one.articles["body"].to_list()
    assert two.removed_segments.equals(one.removed_segments)


def test_a_cookie_banner_or_a_navigation_line_is_never_the_title():
    article = _article(CLEANED, "cookie_banner_and_navigation_line_above_the_headline.txt")
    assert article["title"] == "Sudan's Army and RSF Agree to Humanitarian Pause in Khartoum"
    assert article["body"].startswith("Sudan's army and the paramilitary Rapid Support Forces agreed on Sunday")
    kinds = dict(CLEANED.removed_segments.filter(pl.col("article_id") == article["article_id"]).select("text", "kind").rows())
    assert kinds["Home | World | Africa | Business | Sport"] == "navigation"
    assert kinds["This website uses cookies to ensure you get the best experience. Accept all | Manage choices"] == "widget"


def test_a_comment_thread_with_commenter_names_timestamps_and_reply_links_is_cut():
    article = _article(CLEANED, "comment_thread_with_commenter_names_and_reply_links.txt")
    assert article["body"].endswith("before the rainy season, the ministry said in a statement.")
    for comment in ("Responses", "says:", "March 4, 2024", "fishermen are consulted", "Reply"):
        assert comment not in article["body"]
    assert article["published_at"] is None  # a comment's timestamp is not the article's


def test_a_newsletter_box_and_a_share_bar_are_cut_from_the_story():
    article = _article(CLEANED, "newsletter_box_and_share_bar_inside_the_story.txt")
    for widget in ("Tweet", "Asia Morning Briefing", "inbox", "email address", "Sign up"):
        assert widget not in article["body"]
    assert article["body"].count("\n\n") == 2  # the three story paragraphs, the box between them gone


def test_a_dateline_with_the_time_first_and_an_update_gives_the_publication_time():
    article = _article(CLEANED, "dateline_with_time_before_date_and_update.txt")
    assert (article["published_at"], article["published_precision"], article["published_offset_minutes"]) == (
        datetime(2024, 10, 3, 10, 15),
        "minute",
        0,
    )
    assert "Published" not in article["body"]
