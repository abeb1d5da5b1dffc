from datetime import date, datetime

import polars as pl

from flows.transforms.entities import entity_tables
from flows.transforms.events import events_table
from flows.transforms.nlp import parse_bodies

from .nlp_helpers import articles_from, run_nlp

PUBLISHED = datetime(2022, 6, 11, 9, 0)  # a Saturday


def _events(*bodies, published_at=PUBLISHED) -> pl.DataFrame:
    return run_nlp(*bodies, published_at=published_at)[2]


def _dyads(events: pl.DataFrame) -> set[tuple]:
    return set(events.select("actor1_country", "cameo_root", "actor2_country", "modality").iter_rows())


def test_a_meeting_is_coded_with_actors_countries_quad_class_and_goldstein():
    events = _events("French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Friday.")
    row = events.row(0, named=True)
    assert (row["actor1_country"], row["cameo_root"], row["actor2_country"]) == ("FRA", "04", "DEU")
    assert row["quad_class"] == 1 and -10 <= row["goldstein"] <= 10
    assert row["location_name"] == "Berlin" and row["location_country"] == "DEU" and row["latitude"] is not None
    assert row["evidence"].startswith("French President Emmanuel Macron met")
    assert row["event_date"] == date(2022, 6, 10) and row["date_precision"] == "day"


def test_passive_voice_codes_the_agent_as_the_actor():
    events = _events("Three Ukrainian soldiers were killed by a Russian strike near Kharkiv on Thursday.")
    assert ("RUS", "19", "UKR", "asserted") in _dyads(events)


def test_reported_speech_codes_the_reported_actors_not_the_speaker():
    events = _events("Japanese officials said that China had seized two Vietnamese fishing boats near the Paracel Islands.")
    assert ("CHN", "17", "VNM", "asserted") in _dyads(events)
    assert not events.filter(pl.col("actor1_country") == "JPN").height


def test_a_plan_is_hypothetical():
    events = _events("Indian Prime Minister Narendra Modi plans to visit Washington next month.")
    assert ("IND", "04", "USA", "hypothetical") in _dyads(events)


def test_a_modal_makes_the_action_hypothetical():
    events = _events("Turkish officials could soon visit Moscow for talks on the crisis.")
    assert {row[3] for row in _dyads(events)} == {"hypothetical"}


def test_a_denied_or_failed_action_is_negated():
    events = _events("Pakistan did not attack the Indian border posts, the army said.")
    assert ("PAK", "19", "IND", "negated") in _dyads(events)


def test_relative_date_resolves_against_publication_date_and_is_null_without_it():
    sentence = "Egyptian Foreign Minister Sameh Shoukry met Israeli officials in Cairo on Tuesday."
    dated = _events(sentence).row(0, named=True)
    assert (dated["event_date"], dated["date_precision"]) == (date(2022, 6, 7), "day")
    undated = _events(sentence, published_at=None).row(0, named=True)
    assert (undated["event_date"], undated["date_precision"]) == (None, None)


def test_two_sentences_reporting_one_event_give_one_row_and_one_event_key_across_articles():
    first = "Kenyan President William Ruto met Tanzanian President Samia Suluhu Hassan in Arusha on Friday."
    again = "On Friday Kenyan President William Ruto met Tanzanian President Samia Suluhu Hassan in Arusha."
    events = _events(first + " " + again, first)
    meetings = events.filter(pl.col("cameo_root") == "04")
    assert meetings.group_by("article_id").len()["len"].to_list() == [1, 1]
    assert meetings["event_key"].n_unique() == 1 and meetings["event_id"].n_unique() == 2


def test_evidence_offsets_point_at_the_sentence_in_the_body():
    articles, _, events = run_nlp(
        "The weather was calm. Iranian forces seized a British tanker in the Strait of Hormuz.", published_at=PUBLISHED
    )
    body = articles["body"][0]
    for row in events.iter_rows(named=True):
        assert body[row["evidence_start"] : row["evidence_end"]] == row["evidence"]


def test_each_of_several_subjects_acts_on_the_target():
    events = _events("France, Germany and Britain criticised Iran on Friday for expanding its uranium stockpile.")
    assert {("FRA", "11", "IRN", "asserted"), ("DEU", "11", "IRN", "asserted"), ("GBR", "11", "IRN", "asserted")} <= _dyads(events)


def test_co_subjects_without_a_target_act_on_each_other():
    events = _events("Venezuelan President Nicolas Maduro and Guyanese President Irfaan Ali met on the island of St Vincent on Thursday.")
    assert ("VEN", "04", "GUY", "asserted") in _dyads(events)


def test_a_threat_is_asserted_and_its_target_comes_from_the_threatened_action():
    events = _events("Israel has repeatedly threatened to strike Iranian nuclear facilities.")
    assert ("ISR", "13", "IRN", "asserted") in _dyads(events)
    assert ("ISR", "19", "IRN", "hypothetical") in _dyads(events)


def test_a_nationality_in_a_topic_is_not_an_actor():
    events = _events("Russian Foreign Minister Sergei Lavrov discussed the Syrian issue with Secretary of State John Kerry in Geneva.")
    assert _dyads(events) == {("RUS", "04", "USA", "asserted")}


def test_the_purpose_of_a_visit_is_hypothetical():
    events = _events("A Turkish military delegation visited Moscow on Thursday to hold talks with Russian officials.")
    assert ("TUR", "04", "RUS", "asserted") in _dyads(events)  # the visit
    held = events.filter(pl.col("evidence").str.contains("hold talks") & (pl.col("cameo_code") == "040"))
    assert held["modality"].to_list() == ["hypothetical"]


def test_without_a_place_in_the_sentence_the_dateline_place_is_used():
    articles, found, events = run_nlp("Kenyan President William Ruto criticised Sudanese leaders on Monday.", published_at=PUBLISHED)
    from flows.transforms.events import events_table
    from flows.transforms.nlp import parse_bodies

    with_dateline = articles.with_columns(dateline_place=pl.lit("NAIROBI"))
    placed = events_table(with_dateline, parse_bodies(with_dateline), found.resolved).row(0, named=True)
    assert (placed["location_name"], placed["location_country"]) == ("Nairobi", "KEN") and placed["latitude"] is not None
    assert events.row(0, named=True)["location_name"] is None


def test_an_event_named_by_a_noun_takes_its_participants_from_the_phrase():
    assert ("FRA", "04", "DEU", "asserted") in _dyads(_events("Talks between France and Germany resumed in Paris on Monday."))
    assert ("ISR", "19", "SYR", "asserted") in _dyads(_events("An air strike by Israel on Syria killed four people."))


def test_warnings_offers_crackdowns_and_withdrawals_are_events_named_by_nouns():
    dyads = _dyads(
        _events(
            "Iran's warning to Israel alarmed Washington.",
            "The Egyptian crackdown on Libyan traders drew protests.",
            "Kenya welcomed the Ugandan withdrawal from the border area.",
            "Turkey's offer to Greece was rejected.",  # an offer rejected was still made, and is no rejection by Turkey
            "Syrian jets struck back after recent Turkish hostile acts against Syrian aircraft.",
        )
    )
    assert {
        ("IRN", "13", "ISR", "asserted"),
        ("EGY", "17", "LBY", "asserted"),
        ("UGA", "08", None, "asserted"),
        ("TUR", "03", "GRC", "asserted"),
        ("TUR", "19", "SYR", "asserted"),
    } <= dyads
    assert not {row for row in dyads if row[0] == "TUR" and row[1] == "12"}


def test_force_a_noun_names_with_only_who_leads_or_owns_it_is_still_force_used():
    dyads = _dyads(
        _events(
            "Many fighters fled Syria after the Turkish-led offensive.",
            "The Saudi-led air strikes on Houthi positions continued.",
        )
    )
    assert {("TUR", "19", None, "asserted"), ("SAU", "19", "YEM", "asserted")} <= dyads
    # A talk is no deed alone: with no one to talk to there is no event.
    assert not _events("The Turkish-led talks lasted for hours.").height


def test_each_of_several_targets_is_an_event_of_its_own():
    dyads = _dyads(_events("The United States urged Kenya and Uganda to end the fighting."))
    assert {("USA", "02", "KEN", "asserted"), ("USA", "02", "UGA", "asserted")} <= dyads


def test_a_nationality_before_an_agent_noun_is_an_actor_with_its_country_and_sector():
    events = _events("Kenyan troops attacked Somali militants near the border.")
    row = events.filter(pl.col("cameo_root") == "19").row(0, named=True)
    assert (row["actor1_country"], row["actor1_type"], row["actor2_country"]) == ("KEN", "MIL", "SOM")


def test_a_pronoun_stands_for_the_last_subject_before_it():
    events = _events("Vladimir Putin met Xi Jinping in Beijing on Monday. He later criticised Japan.")
    assert ("RUS", "11", "JPN", "asserted") in _dyads(events)


def test_the_dateline_place_is_never_an_actor():
    body = "ADDIS ABABA — Ethiopian officials urged Sudan to end the war."
    articles = articles_from(body).with_columns(dateline_place=pl.lit("ADDIS ABABA"))
    parsed = parse_bodies(articles)
    events = events_table(articles, parsed, entity_tables(articles, parsed.mentions).resolved)
    assert "Addis Ababa" not in events["actor1_name"].to_list()


def test_an_announced_own_action_is_an_asserted_intent_and_a_hypothetical_action():
    dyads = _dyads(_events("Iran said it would attack Israeli bases in Syria."))
    assert ("IRN", "13", "ISR", "asserted") in dyads and ("IRN", "19", "ISR", "hypothetical") in dyads


def test_every_event_carries_its_plover_type_and_where_its_place_came_from():
    row = _events("French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Friday.").row(0, named=True)
    assert (row["plover_event"], row["location_source"]) == ("CONSULT", "clause")
    attack = _events("Russian troops attacked Ukrainian positions.").row(0, named=True)
    assert attack["plover_event"] == "ASSAULT" and attack["location_source"] is None


def test_an_action_that_needs_no_other_party_is_coded_with_one_actor():
    events = _events("The Bolivian interior minister resigned on Monday.")
    assert ("BOL", "08", None, "asserted") in _dyads(events)
    # A wish is no commitment: with no other party named, nothing is coded.
    assert _events("Chile wants to expand its port.").is_empty()


def test_saying_another_party_must_act_is_a_demand_of_it():
    events = _events("The Chilean foreign minister insisted that Bolivia must withdraw its complaint.")
    assert ("CHL", "10", "BOL", "asserted") in _dyads(events)


def test_each_nationality_before_one_agent_noun_is_an_actor_of_its_own():
    events = _events("Dutch and Belgian officials criticised Hungary on Friday.")
    assert {("NLD", "11", "HUN", "asserted"), ("BEL", "11", "HUN", "asserted")} <= _dyads(events)


def test_a_date_after_the_verb_is_not_the_particle_of_a_phrasal_pattern():
    # `press on` (keep attacking) is a pattern of one verb of its synonym set, not of `demand`.
    events = _events("Argentina demanded on Tuesday that Britain open talks.")
    assert {root for _, root, _, _ in _dyads(events)} == {"10"}


def test_aid_for_a_country_has_that_country_as_its_target():
    assert ("JPN", "07", "MOZ", "asserted") in _dyads(_events("Japan provided emergency aid for Mozambique."))


def test_a_surname_the_actor_dictionaries_know_is_not_a_town_of_that_name():
    assert ("USA", "11", "VEN", "asserted") in _dyads(_events("The Bush administration criticised Venezuela."))


def test_a_party_described_by_where_it_is_takes_that_country():
    events = _events("Rebels in Somalia on Monday rejected an appeal from Kenyan President William Ruto.")
    assert ("SOM", "12", "KEN", "asserted") in _dyads(events)
    assert events.filter(pl.col("actor1_country") == "SOM")["actor1_type"].to_list() == ["REB"]


def test_a_place_the_gazetteer_lacks_takes_the_country_of_the_nationality_word_before_it():
    _, found, events = run_nlp("Russia halted gas supplies to the Georgian town of Zorlentia on Monday.")
    assert found.resolved.filter(pl.col("name") == "Zorlentia")["country"].to_list() == ["GEO"]
    assert ("RUS", "16", "GEO", "asserted") in _dyads(events)


def test_a_plan_passed_on_by_others_is_still_its_actors_intent():
    events = _events("Brazil will resume talks with Angola next year, diplomatic sources said.")
    assert ("BRA", "03", "AGO", "asserted") in _dyads(events)
    assert ("BRA", "04", "AGO", "hypothetical") in _dyads(events)


def test_a_state_abbreviation_names_that_state():
    events = _events("The PRC condemned the DRC for the arrest of its diplomats.")
    assert ("CHN", "11", "COD", "asserted") in _dyads(events)


def test_a_protest_or_a_curfew_in_a_place_is_aimed_at_that_place_even_at_home():
    events = _events(
        "Thousands of Chilean students demonstrated in Valparaiso on Monday.",
        "Peruvian police imposed a curfew in the town of Puno after the riots.",
    )
    assert ("CHL", "14", "CHL", "asserted") in _dyads(events)
    assert ("PER", "17", "PER", "asserted") in _dyads(events)


def test_a_news_outlet_the_dictionary_lacks_is_no_party_told_or_referred_to():
    events = _events("The Kenyan army told the Nairobi Evening Herald that its soldiers had left the border.")
    assert not events.filter(pl.col("actor2_name").str.contains("Herald")).height


def test_a_hunger_strike_is_a_protest_not_an_air_strike_and_aimed_at_the_strikers_own_government():
    events = _events("Bolivian landowners began a hunger strike outside parliament on Monday.")
    assert {(row[0], row[1], row[2]) for row in _dyads(events)} == {("BOL", "14", "BOL")}
    assert events["cameo_code"].to_list() == ["142"]
    assert events["actor2_type"].to_list() == ["GOV"]


def test_a_protest_against_a_states_policy_is_aimed_at_that_state():
    events = _events("Chilean students staged demonstrations against Argentine policies on Friday.")
    assert ("CHL", "14", "ARG", "asserted") in _dyads(events)


def test_verb_forms_the_model_lemmatises_wrongly_still_reach_the_lexicon():
    from flows.transforms.nlp import load_model

    nlp = load_model()
    assert [token.lemma_ for token in nlp("Rebels staged attacks and waged war.") if token.pos_ == "VERB"] == ["stage", "wage"]


def test_an_offer_towards_a_named_party_is_not_also_an_offer_towards_no_one():
    events = _events("Peru offered to hand over the two suspects to Chile.")
    asserted = events.filter(pl.col("modality") == "asserted")
    assert asserted.select("actor1_country", "cameo_code", "actor2_country").rows() == [("PER", "035", "CHL")]


def test_an_agreement_to_lift_an_embargo_is_an_intent_towards_each_state_it_hit():
    events = _events("The Peruvian Congress agreed to lift embargoes on Chile and Bolivia.")
    assert {("PER", "03", "CHL", "asserted"), ("PER", "03", "BOL", "asserted")} <= _dyads(events)
    assert not events.filter(pl.col("actor2_country").is_null()).height


def test_an_ethnic_group_belongs_to_the_state_its_sentence_places_it_in():
    events = _events("Up to 200 ethnic Hungarians demonstrated on Tuesday in Slovakia.")
    assert ("SVK", "14", "SVK", "asserted") in _dyads(events)


def test_a_people_without_a_state_takes_the_state_its_phrase_names():
    events = _events("Thousands of Iraqi Kurds demonstrated in the city of Mosul on Sunday.")
    assert ("IRQ", "14", "IRQ", "asserted") in _dyads(events)
    assert events["actor1_name"].to_list() == ["Kurds"]


def test_a_pattern_naming_the_object_beats_one_naming_only_a_preposition():
    events = _events("The Chadian parliament threatened on Monday to break relations with Sudan.")
    assert ("TCD", "16", "SDN", "hypothetical") in _dyads(events)  # break relations (161), not break with (130)
    assert ("TCD", "13", "SDN", "asserted") in _dyads(events)


def test_a_described_party_takes_a_place_where_things_happen_not_a_state_that_acts():
    events = _events("The Kenyan ministry urged senior officials to assume that Somalia has new weapons.")
    assert not events.filter(pl.col("actor2_country") == "SOM").height  # the officials are no Somalis
    # Where those who report it are is not where it happened.
    reported = _events("Sudanese rebels shelled a garrison town, killing about 20 people, aid officials in Nairobi said.")
    assert ("SDN", "19", "SDN", "asserted") in _dyads(reported) and reported.filter(pl.col("actor2_country") == "KEN").is_empty()


def test_a_news_outlet_telling_or_being_told_is_no_event():
    events = _events("The Somali News Agency told Kenyan officials that the border crossing had reopened.")
    assert not events.filter(pl.col("cameo_root") == "01").height


def test_force_aimed_at_something_has_it_as_the_target():
    events = _events("Turkish tanks fired four shells at targets in Kobani, witnesses said.")
    assert ("TUR", "19", "SYR", "asserted") in _dyads(events)


def test_renewed_talks_are_talks_between_their_parties():
    events = _events("Israel and Lebanon renewed negotiations today on the border.")
    assert ("ISR", "04", "LBN", "asserted") in _dyads(events)


def test_a_state_acting_on_its_own_rebels_or_people_is_coded_but_not_on_its_own_officials():
    events = _events("The Sudanese government accused rebels in Darfur of attacking aid convoys.")
    assert ("SDN", "11", "SDN", "asserted") in _dyads(events)
    assert _events("Turkish officials praised Hulusi Akar.").is_empty()
    # One nationality word, two parts of its state: the government and its opposition are two parties.
    assert ("KEN", "05", "KEN", "asserted") in _dyads(_events("The Kenyan government praised the Kenyan opposition on Monday."))
    assert _events("Kenyan troops praised Kenyan officials.").is_empty()


def test_each_state_of_one_joined_word_is_a_party_of_its_own():
    assert {("USA", "19", "IRQ", "asserted"), ("GBR", "19", "IRQ", "asserted")} <= _dyads(
        _events("U.S.-British warplanes bombed Iraqi radar sites on Sunday.")
    )
    assert ("RUS", "04", "CHN", "asserted") in _dyads(_events("Russian-Chinese talks ended in Beijing on Friday."))


def test_a_journalist_meeting_or_being_told_is_no_consultation():
    events = _events(
        "A Reuters correspondent met Taliban commanders in Kandahar on Monday.",
        "Iraqi officials told the Guardian that the border had reopened.",
    )
    assert not events.filter(pl.col("cameo_root").is_in(["01", "02", "04"])).height


def test_working_is_cooperation_only_with_someone():
    assert ("KEN", "06", "UGA", "asserted") in _dyads(_events("Kenya worked with Uganda on the new railway."))
    assert not _events("Kenya and Uganda worked to end the drought.").filter(pl.col("cameo_root") == "06").height


def test_what_a_deplored_deed_was_done_to_is_not_its_target():
    events = _events(
        "Sweden deplored the violation of Finland's airspace on Monday.", "Norway condemned Russia's bombing of Ukrainian towns."
    )
    assert not events.filter(pl.col("actor2_country") == "FIN").height
    assert ("NOR", "11", "RUS", "asserted") in _dyads(events)


def test_advising_officials_no_one_is_said_to_own_is_the_actors_own_administration():
    assert _events("The FBI advised senior officials to leave the capital.").is_empty()
    assert ("USA", "02", "MEX", "asserted") in _dyads(_events("The FBI urged Mexican officials to act."))


def test_a_people_or_faith_without_a_state_takes_the_state_its_party_is_placed_in():
    assert ("IDN", "11", "MYS", "asserted") in _dyads(_events("Muslim clerics in Indonesia criticised Malaysia on Friday."))


def test_a_rejected_proposal_is_rejecting_whoever_made_it_wherever_the_parser_hangs_by():
    assert ("EGY", "12", "ETH", "asserted") in _dyads(_events("Egypt rejected a proposal today by Ethiopian officials."))


def test_a_pronoun_takes_its_antecedents_country_not_a_nearer_states():
    events = _events("The African Union met Rwandan ministers. It criticised Uganda on Monday.")
    assert set(events.filter(pl.col("actor1_name") == "African Union")["actor1_country"]) == {None}


def test_it_stands_for_a_state_or_body_never_for_a_nationality_word():
    events = _events("Kurdish fighters said the group is holding hostages in villages it attacked last year.")
    assert events.filter(pl.col("actor1_name") == "Kurdish").is_empty()
    assert ("KEN", "19", "SOM", "asserted") in _dyads(_events("Kenya sent troops into Somalia. It shelled Somali posts."))
    # A nationality word naming one body is what it stands for: `the Kenyan army said it ...`.
    assert ("KEN", "19", "SOM", "asserted") in _dyads(_events("The Kenyan army said it had shelled Somali posts near the border."))


def test_a_reference_prefers_the_subject_of_a_main_clause_to_one_of_a_clause_inside_it():
    dyads = _dyads(
        _events("The Kenyan ministry confirmed it is holding a Somali man the FBI wants. Officials later arrested two Ugandan rebels.")
    )
    assert ("KEN", "17", "UGA", "asserted") in dyads
    assert not {row for row in dyads if row[0] == "USA" and row[2] == "UGA"}


def test_members_and_royals_act_for_the_state_or_body_their_phrase_names():
    assert ("JOR", "04", "IRQ", "asserted") in _dyads(
        _events("Senior members of the Jordanian royal family met Iraqi officials on Monday.")
    )


def test_a_noun_of_no_sector_is_the_other_party_only_of_force_or_seizure():
    assert not _events("Kenyan officials praised the group on Monday.").height
    assert not _events("Kenyan rebels established a camp in northern Somalia.").height
    assert ("KEN", "19", "SOM", "asserted") in _dyads(_events("Kenyan troops attacked a camp in Somalia on Monday."))


def test_who_gave_the_order_is_who_acted():
    dyads = _dyads(
        _events(
            "The Kurdish leader was murdered on the orders of Syrian President Bashar al-Assad.",
            "The Bolivian envoy was expelled on Peru's orders.",
        )
    )
    assert ("SYR", "19", None, "asserted") in dyads
    assert ("PER", "16", "BOL", "asserted") in dyads


def test_falling_out_with_and_harbouring_are_coded():
    dyads = _dyads(
        _events("The Kenyan president fell out with Ugandan leaders last year.", "Sudan is harbouring Chadian rebels, officials said.")
    )
    assert {("KEN", "16", "UGA", "asserted"), ("SDN", "07", "TCD", "asserted")} <= dyads


def test_an_intent_named_by_a_noun_is_its_owners_and_the_intended_action_hypothetical():
    dyads = _dyads(
        _events(
            "Ethiopia's willingness to help Eritrea surprised diplomats.",
            "Russia announced a plan to cut gas supplies to Moldova.",
            "Iran's refusal to meet Iraqi officials angered Baghdad.",
        )
    )
    assert {("ETH", "03", "ERI", "asserted"), ("RUS", "16", "MDA", "hypothetical"), ("IRN", "12", "IRQ", "asserted")} <= dyads


def test_whose_deed_a_complaint_is_over_is_its_target():
    dyads = _dyads(_events("Kenya complained to the African Union on Tuesday over two Ugandan air raids."))
    assert ("KEN", "11", "UGA", "asserted") in dyads
    # What a thing criticised is about is its topic, not its maker.
    assert not _events("Russia criticised a report about Ukrainian refugees.").filter(pl.col("actor2_country") == "UKR").height


def test_holding_a_person_is_detaining_them():
    assert ("KEN", "17", "UGA", "asserted") in _dyads(_events("Kenyan police are holding two Ugandan journalists in Nairobi."))


def test_seeking_a_person_is_searching_for_them_and_seeking_a_thing_is_asking_for_it():
    dyads = _dyads(_events("Egyptian police are holding a Libyan man the Italian police are seeking for questioning."))
    assert ("ITA", "09", "LBY", "asserted") in dyads and ("ITA", "03", "LBY", "asserted") not in dyads
    assert ("GRC", "09", "ALB", "asserted") in _dyads(_events("Greek police are seeking two Albanian men."))
    assert ("IRN", "02", "RUS", "asserted") in _dyads(_events("Iran is seeking Russian support."))


def test_who_an_action_was_done_at_the_behest_of_is_no_party_to_it():
    assert _events("Kenya accepted the proposal at the behest of Uganda.").filter(pl.col("actor2_country") == "UGA").is_empty()


def test_a_deed_someone_is_rebuked_or_praised_over_is_theirs():
    dyads = _dyads(
        _events(
            "Turkey rebuked Iran over shelling of Iraqi villages near the border.",
            "Egypt criticised Sudan for arming Ethiopian rebels.",
            "Chile thanked Peru for its aid to Bolivian farmers.",
        )
    )
    assert {("IRN", "19", "IRQ", "asserted"), ("SDN", "07", "ETH", "asserted"), ("PER", "07", "BOL", "asserted")} <= dyads
    # What someone is blamed for is only alleged.
    assert not _events("Kenya blamed Uganda for the shelling of Sudanese villages.").filter(pl.col("actor2_country") == "SDN").height


def test_the_noun_a_relative_or_participial_clause_describes_is_the_party_it_leaves_out():
    dyads = _dyads(
        _events(
            "Uganda, which attacked Kenyan troops on Friday, denied the report.",
            "Ethiopia hosted Sudanese officials whom Kenya had expelled.",
            "Rwanda is sheltering a Burundian rebel the Tanzanian police had arrested.",
            "Ugandan rebels armed by Sudan attacked a Kenyan convoy.",
            "Kenyan troops attacking Somali militants near the border were ambushed.",
        )
    )
    assert {
        ("UGA", "19", "KEN", "asserted"),
        ("KEN", "16", "SDN", "asserted"),
        ("TZA", "17", "BDI", "asserted"),
        ("SDN", "07", "UGA", "asserted"),
        ("KEN", "19", "SOM", "asserted"),
    } <= dyads
    # A place where something happened is no party left out: `the town where rebels fought`,
    # nor is the owner of a clause's subject (`whose troops`), nor a place for a trailing participle.
    assert not _events("Kenya visited the town where Somali rebels fought.").filter(pl.col("actor1_country") == "SOM").height
    assert _events("Rwanda, whose troops left Congo last year, denied the report.").filter(pl.col("actor2_name") == "Rwanda").is_empty()
    assert _events("Israeli jets bombed a house in Gaza, killing three.").filter(pl.col("actor1_name") == "Gaza").is_empty()


def test_what_a_pattern_names_as_its_object_is_the_means_not_the_target():
    events = _events("Kenyan aircraft using guided missiles killed four Somali militants.")
    assert ("KEN", "19", "SOM", "asserted") in _dyads(events)
    assert events.filter(pl.col("actor2_name") == "missile").is_empty()


def test_whose_event_an_argument_names_is_the_party_agreed_to_or_opposed():
    dyads = _dyads(
        _events(
            "Israeli Prime Minister Ehud Barak has agreed to US mediation in the talks.",
            "Israel is opposed to French mediation in peace negotiations with Syria.",
        )
    )
    assert {("ISR", "01", "USA", "asserted"), ("ISR", "12", "FRA", "asserted")} <= dyads
    # A city before talks says where they are, not whose.
    assert not {row for row in _dyads(_events("Kenya attended the Geneva talks with Uganda.")) if row[2] == "CHE"}


def test_sides_are_parties_and_co_speakers_do_not_address_each_other():
    dyads = _dyads(_events("Talks between the Israeli and Palestinian sides resumed in Cairo."))
    assert {("PSE", "04", "ISR", "asserted"), ("ISR", "04", "PSE", "asserted")} & dyads
    # `A and B said` is two statements, neither made to the other.
    assert _events("The Kenyan and Ugandan delegations said the talks would resume.").filter(pl.col("cameo_root") == "01").is_empty()
    assert ("KEN", "01", "UGA", "asserted") in _dyads(_events("Kenya and Uganda agreed upon a new trade pact."))
    # Co-subjects of what each does by itself each do it.
    assert {("KEN", "14", "KEN", "asserted"), ("UGA", "14", "UGA", "asserted")} <= _dyads(
        _events("Kenyan teachers and Ugandan nurses demonstrated on Monday.")
    )


def test_a_states_forces_acting_on_its_own_people_named_by_nationality_is_coded():
    dyads = _dyads(_events("Serb forces killed three ethnic Albanians in a gunbattle in southern Serbia on Friday."))
    assert ("SRB", "18", "SRB", "asserted") in dyads or ("SRB", "19", "SRB", "asserted") in dyads


def test_what_is_seized_or_restricted_belongs_to_its_owner():
    assert ("FRA", "13", "DEU", "asserted") in _dyads(
        _events("A French minister threatened to impose import restrictions against German goods.")
    )


def test_refusing_or_saying_one_will_not_act_is_a_rejection():
    dyads = _dyads(
        _events(
            "Kenya refused to meet Ugandan officials.",
            "Syria said it would not accept more Iraqi refugees.",
            "Ethiopia will not attend talks with Eritrea, the minister said.",
        )
    )
    assert {("KEN", "12", "UGA", "asserted"), ("SYR", "12", "IRQ", "asserted"), ("ETH", "12", "ERI", "asserted")} <= dyads
    # Force one will not use is no rejection of anyone.
    assert not {row for row in _dyads(_events("Kenya said it would not attack Somalia.")) if row[1] == "12"}
    # A refusal is one though it names no one; a request it answers was made, and is no lone event.
    alone = _dyads(_events("Kenya said it would not intervene in the dispute.", "Oman rejected a Saudi request to question the prisoners."))
    assert {("KEN", "12", None, "asserted"), ("KEN", "04", None, "negated"), ("OMN", "12", "SAU", "asserted")} <= alone
    assert not {row for row in alone if row[0] == "SAU"}


def test_a_statement_about_what_belongs_to_a_party_is_aimed_at_that_party():
    dyads = _dyads(
        _events(
            "The Turkish president predicted the collapse of the Syrian government.",
            "The Kenyan foreign minister predicted the defeat of Ugandan rebels.",
        )
    )
    assert {("TUR", "01", "SYR", "asserted"), ("KEN", "01", "UGA", "asserted")} <= dyads


def test_whose_appeal_or_statement_is_dismissed_or_criticised_is_the_target():
    dyads = _dyads(
        _events(
            "Rebels in Uganda dismissed an appeal from Kenyan President William Ruto to lay down their arms.",
            "Russia criticised a statement by the Ukrainian foreign ministry.",
        )
    )
    assert {("UGA", "11", "KEN", "asserted"), ("RUS", "11", "UKR", "asserted")} <= dyads


def test_who_a_demand_names_in_its_object_and_who_is_mediated_between_are_targets():
    dyads = _dyads(
        _events(
            "Protesters in Nairobi demanded the resignation of the Kenyan president.",
            "Egypt mediated between Hamas and Israel to secure a ceasefire.",
        )
    )
    assert {("KEN", "10", "KEN", "asserted"), ("EGY", "04", "ISR", "asserted")} <= dyads


def test_what_one_says_another_must_be_ready_to_do_is_no_announcement_of_its_own():
    dyads = _dyads(_events("Kenya said Uganda must be ready to mediate between Sudanese and Ethiopian leaders."))
    assert ("KEN", "10", "UGA", "asserted") in dyads
    assert not {row for row in dyads if row[0] == "UGA" and row[3] == "asserted"}


def test_a_protest_outside_a_states_embassy_is_aimed_at_that_state():
    assert ("ARM", "14", "AZE", "asserted") in _dyads(
        _events("Thousands of Armenians protested outside the Azerbaijani embassy in Moscow.")
    )


def test_co_subjects_clashing_in_a_place_clash_with_each_other():
    events = _events("Sudan's army and the Rapid Support Forces clashed in Khartoum.")
    assert set(events["actor2_name"]) <= {"Sudan", "Rapid Support Forces"} and events.height


def test_who_made_the_attack_someone_was_killed_in_is_the_agent():
    dyads = _dyads(
        _events(
            "Two Turkish soldiers were killed in a Kurdish rebel attack near the Iraqi border.",
            "Three Malian soldiers were wounded in an attack by Algerian militants.",
        )
    )
    assert {("DZA", "19", "MLI", "asserted")} <= dyads
    assert {row for row in dyads if row[1] in ("18", "19") and row[2] == "TUR"}
    # The place it happened in stays the event's place.
    placed = _events("Three Iraqi soldiers were killed in Kirkuk in a PKK attack.")
    assert placed.filter(pl.col("actor2_country") == "IRQ")["location_name"].to_list() == ["Kirkuk"]


def test_troops_deployed_or_sent_are_the_means_and_a_sea_no_party():
    events = _events(
        "Kenya has deployed 1,000 police officers to Haiti.",
        "North Korea fired a missile into the Sea of Japan, South Korea's military said.",
    )
    dyads = _dyads(events)
    assert ("KEN", "15", "HTI", "asserted") in dyads and "officer" not in events["actor2_name"].to_list()
    assert not {row for row in dyads if row[0] == "PRK" and row[2] == "KOR"}


def test_a_deal_between_two_parties_is_an_agreement_between_them():
    dyads = _dyads(_events("A deal between Israel and Hamas was reached in Cairo."))
    assert ("ISR", "05", "PSE", "asserted") in dyads or ("PSE", "05", "ISR", "asserted") in dyads


def test_whose_ties_are_criticised_and_the_countries_named_as_examples_are_parties():
    dyads = _dyads(_events("Kenya rejected Ugandan criticism of its military ties with countries like Sudan and Eritrea."))
    assert {("UGA", "11", "KEN", "asserted"), ("KEN", "05", "SDN", "asserted"), ("KEN", "05", "ERI", "asserted")} <= dyads
    # Cutting ties is the verb's event, not also ties kept.
    cut = _dyads(_events("Ghana cut its ties with Togo on Monday.", "Ghana's ties with Togo were cut last year."))
    assert ("GHA", "16", "TGO", "asserted") in cut and ("GHA", "05", "TGO", "asserted") not in cut


def test_being_close_to_an_agreement_is_an_intent_and_the_agreement_hypothetical():
    dyads = _dyads(_events("Kenya and Uganda are close to signing a trade deal, officials said."))
    assert ("KEN", "03", "UGA", "asserted") in dyads and ("KEN", "05", "UGA", "hypothetical") in dyads
    assert ("KEN", "05", "UGA", "asserted") not in dyads
    # A summit that closed is no intent.
    assert ("KEN", "04", "UGA", "asserted") in _dyads(_events("The summit between Kenya and Uganda closed on Friday."))


def test_a_by_phrase_the_pattern_names_is_no_agent():
    # `backed by aircraft` is the dictionary's air support of the forces, not the aircraft acting on them.
    events = _events("Turkish forces, backed by US coalition aircraft, attacked Syrian positions.")
    assert events.filter((pl.col("actor1_country") == "USA") & (pl.col("actor2_country") == "TUR")).is_empty()


def test_a_gerund_after_a_time_or_manner_word_is_done_by_the_subject_of_its_clause():
    dyads = _dyads(
        _events(
            "Russia responded by expelling two British diplomats.",
            "Syrian troops withdrew after shelling Turkish positions.",
            "The Kenyan envoy was expelled after being arrested by Ugandan police.",  # its own passive: the envoy suffers it
            "The Syrian commander was arrested after refusing to attack Turkish fighters.",  # a passive clause: he still refuses
            "The Iranian minister flew home without meeting Turkish officials.",
            "Iran will respond by attacking Saudi tankers.",
        )
    )
    assert {
        ("RUS", "16", "GBR", "asserted"),
        ("SYR", "19", "TUR", "asserted"),
        ("UGA", "17", "KEN", "asserted"),
        ("SYR", "12", "TUR", "asserted"),
        ("IRN", "04", "TUR", "negated"),
        ("IRN", "19", "SAU", "hypothetical"),
    } <= dyads
    assert ("KEN", "17", "UGA", "asserted") not in dyads and ("IRN", "04", "TUR", "asserted") not in dyads
    # A deed set as a condition is not done: `before` sets no gerund's subject.
    assert not _events("Bosnian Croats demanded a truce before releasing Serbian prisoners.").filter(pl.col("cameo_root") == "08").height
