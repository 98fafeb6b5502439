"""The PII scrubber: what it masks, what it keeps, and how it counts."""

from __future__ import annotations

import pytest

from sharing.pii import DEFAULT_MRN_PATTERN, MASKS, PIIScrubber, Scrubbed, is_valid_taiwan_id

# Check digits computed by hand from the official letter codes and weights.
VALID_IDS = ["A123456789", "F131549878", "Z298765438", "I100000003", "O200000006"]
VALID_RESIDENT_IDS = ["A800000014", "C912345675"]


@pytest.fixture(scope="module")
def scrubber() -> PIIScrubber:
    """The default scrubber."""
    return PIIScrubber()


def scrub(scrubber: PIIScrubber, text: str) -> Scrubbed:
    """Scrub ``text`` and check the result is already a fixed point."""
    result = scrubber.scrub(text)
    assert scrubber.scrub(result.text) == Scrubbed(text=result.text, found={})
    return result


@pytest.mark.parametrize("number", VALID_IDS + VALID_RESIDENT_IDS)
def test_valid_checksums_are_accepted(number: str) -> None:
    assert is_valid_taiwan_id(number)
    assert is_valid_taiwan_id(number.lower())


@pytest.mark.parametrize(
    "number",
    [
        "A123456788",
        "F131549870",
        "Z298765431",
        "A800000015",
        "A323456789",
        "A12345678",
        "1123456789",
    ],
)
def test_wrong_check_digit_or_shape_is_rejected(number: str) -> None:
    assert not is_valid_taiwan_id(number)


def test_national_id_masked_only_with_valid_checksum(scrubber: PIIScrubber) -> None:
    result = scrub(scrubber, "病人身分證字號A123456789，另一組A123456788是打錯的。")
    assert result.text == "病人身分證字號[ID]，另一組A123456788是打錯的。"
    assert result.found == {"national_id": 1}


def test_national_id_in_english_lowercase_and_resident_certificate(scrubber: PIIScrubber) -> None:
    result = scrub(scrubber, "Patient ID a123456789; resident certificate C912345675.")
    assert result.text == "Patient ID [ID]; resident certificate [ID]."
    assert result.found == {"national_id": 2}


def test_national_id_inside_longer_code_is_kept(scrubber: PIIScrubber) -> None:
    text = "Lot XA123456789 and A1234567890 are batch codes."
    assert scrub(scrubber, text).text == text


@pytest.mark.parametrize(
    "phone",
    [
        "0912-345-678",
        "0912345678",
        "0912 345 678",
        "+886 912 345 678",
        "+886-912-345-678",
        "886912345678",
        "(02)2345-6789",
        "02-2345-6789",
        "04-2234-5678",
        "037-123456",
        "02-2345-6789#123",
        "(02) 2345-6789 分機 1234",
        "+1 (212) 555-1234",
        "+44 20 7946 0958",
        "+81-3-1234-5678",
    ],
)
def test_phone_formats_are_masked(scrubber: PIIScrubber, phone: str) -> None:
    result = scrub(scrubber, f"請撥 {phone} 聯絡。")
    assert result.text == "請撥 [PHONE] 聯絡。"
    assert result.found == {"phone": 1}


def test_phones_in_a_sentence_next_to_chinese(scrubber: PIIScrubber) -> None:
    result = scrub(scrubber, "家屬電話0912345678，病房分機請撥(04)2234-5678轉12。")
    assert result.text == "家屬電話[PHONE]，病房分機請撥[PHONE]。"
    assert result.found == {"phone": 2}


def test_international_number_stops_at_fifteen_digits(scrubber: PIIScrubber) -> None:
    result = scrub(scrubber, "Call +44 20 7946 0958 2024 edition.")
    assert result.text == "Call [PHONE] 2024 edition."


def test_full_width_digits_and_letters_are_masked_in_place(scrubber: PIIScrubber) -> None:
    text = (
        "身分證：Ａ１２３４５６７８９，電話（０２）２３４５－６７８９，"
        + "手機０９１２－３４５－６７８。"
    )
    result = scrub(scrubber, text)
    assert result.text == "身分證：[ID]，電話[PHONE]，手機[PHONE]。"
    assert result.found == {"national_id": 1, "phone": 2}
    assert is_valid_taiwan_id("Ａ１２３４５６７８９")


def test_email_masked_in_both_languages(scrubber: PIIScrubber) -> None:
    result = scrub(scrubber, "請寄信到nurse.chen+ward5@hospital.org.tw。Or mail a_b@x.io.")
    assert result.text == "請寄信到[EMAIL]。Or mail [EMAIL]."
    assert result.found == {"email": 2}


def test_email_with_id_like_local_part_is_one_email(scrubber: PIIScrubber) -> None:
    result = scrub(scrubber, "A123456789@example.com")
    assert result.text == "[EMAIL]"
    assert result.found == {"email": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出生日期：1980/01/02", "出生日期：[DOB]"),
        ("出生年月日: 1980-1-2", "出生年月日: [DOB]"),
        ("生日是1980.01.02", "生日是[DOB]"),
        ("他出生於1980年1月2日，", "他出生於[DOB]，"),
        ("出生日期：民國69年1月2日", "出生日期：[DOB]"),
        ("生日 69/01/02", "生日 [DOB]"),
        ("民國69年1月2日出生", "[DOB]出生"),
        ("1980年1月2日生，男性", "[DOB]生，男性"),
        ("出生日期（西元）：1980/01/02", "出生日期（西元）：[DOB]"),
        ("DOB: 2 Jan 1980", "DOB: [DOB]"),
        ("D.O.B. 02/01/1980", "D.O.B. [DOB]"),
        ("Date of birth is January 2, 1980.", "Date of birth is [DOB]."),
        ("She was born on Jan. 2, 1980 in Taipei", "She was born on [DOB] in Taipei"),
        ("birthday: 1980-01-02", "birthday: [DOB]"),
    ],
)
def test_date_next_to_birth_keyword_is_masked(
    scrubber: PIIScrubber, text: str, expected: str
) -> None:
    result = scrub(scrubber, text)
    assert result.text == expected
    assert result.found == {"dob": 1}


def test_default_mrn_pattern_masks_only_the_number(scrubber: PIIScrubber) -> None:
    text = "病歷號碼：A-0012345，病歷號 98765432。MRN: 7788123; Chart No. CH-2024-001."
    result = scrub(scrubber, text)
    assert result.text == "病歷號碼：[MRN]，病歷號 [MRN]。MRN: [MRN]; Chart No. [MRN]."
    assert result.found == {"mrn": 4}


def test_mrn_keyword_without_a_number_is_kept(scrubber: PIIScrubber) -> None:
    text = "病歷號碼請洽櫃檯; the MRN field is blank."
    assert scrub(scrubber, text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "2024年的新指引共有3,524題，請見第12頁。",
        "Visit on 2024/05/06, follow-up 2024-06-01 at 10:30.",
        "回診日期：2024/05/06，第 3 次門診。",
        "Dose 0.5 mg/kg every 8 hours for 14 days; 120/80 mmHg.",
        "ISBN 978-957-32-1234-5, pages 123-456.",
        "生日蛋糕不宜給糖尿病人；出生後 3 天內打疫苗。",
        "本辦法自2024年5月6日生效。",
    ],
)
def test_ordinary_numbers_and_visit_dates_are_kept(scrubber: PIIScrubber, text: str) -> None:
    result = scrubber.scrub(text)
    assert result == Scrubbed(text=text, found={})


def test_counts_and_order_on_a_mixed_answer(scrubber: PIIScrubber) -> None:
    text = (
        "王小明（身分證F131549878，出生日期1980/01/02，病歷號碼12345678）"
        "電話0912-345-678或02-2345-6789，email wang@example.com。"
    )
    result = scrub(scrubber, text)
    assert result.text == (
        "王小明（身分證[ID]，出生日期[DOB]，病歷號碼[MRN]）電話[PHONE]或[PHONE]，email [EMAIL]。"
    )
    assert result.found == {"email": 1, "national_id": 1, "mrn": 1, "dob": 1, "phone": 2}


def test_masks_are_the_exported_tokens() -> None:
    assert MASKS == {
        "email": "[EMAIL]",
        "national_id": "[ID]",
        "mrn": "[MRN]",
        "dob": "[DOB]",
        "phone": "[PHONE]",
    }


def test_custom_mrn_pattern_masks_the_whole_match() -> None:
    scrubber = PIIScrubber(mrn_pattern=r"\bCGH\d{6}\b")
    result = scrub(scrubber, "Record CGH123456 and 病歷號碼 998877.")
    assert result.text == "Record [MRN] and 病歷號碼 998877."
    assert result.found == {"mrn": 1}


def test_custom_mrn_pattern_masks_its_named_group() -> None:
    scrubber = PIIScrubber(mrn_pattern=r"(?:住院號|Adm#)\s*(?P<mrn>\d{5,8})")
    result = scrub(scrubber, "住院號 1234567, Adm# 55555.")
    assert result.text == "住院號 [MRN], Adm# [MRN]."
    assert result.found == {"mrn": 2}


def test_custom_mrn_pattern_never_rematches_a_mask() -> None:
    scrubber = PIIScrubber(mrn_pattern=r"MRN\S*")
    once = scrubber.scrub("MRN-77")
    assert once.text == "[MRN]"
    assert scrubber.scrub(once.text) == Scrubbed(text="[MRN]", found={})


def test_invalid_custom_pattern_names_pattern_and_error() -> None:
    with pytest.raises(ValueError, match=r"'\(\?P<mrn>\\d\+': missing \)"):
        PIIScrubber(mrn_pattern=r"(?P<mrn>\d+")


def test_default_pattern_is_used_when_none() -> None:
    assert PIIScrubber(mrn_pattern=DEFAULT_MRN_PATTERN).scrub("MRN 123456").text == "MRN [MRN]"
    assert PIIScrubber().scrub("MRN 123456").text == "MRN [MRN]"


def test_long_run_of_digits_and_separators_is_handled(scrubber: PIIScrubber) -> None:
    text = "0912-345-678 " + "1-2.3 45+6(7)-" * 15_000
    result = scrubber.scrub(text)
    assert result.text.startswith("[PHONE] 1-2.3")
    assert len(text) > 200_000
