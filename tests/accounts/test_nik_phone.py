import pytest
from django.core.exceptions import ValidationError

from kupang_portal.accounts.nik import clean_nik, mask_nik, validate_nik
from kupang_portal.accounts.phone import normalize_phone

# 53 71 01 | day month year | serial: Kota Kupang, Kecamatan Alak.
VALID_MALE = "5371011205900001"
VALID_FEMALE = "5371015205900002"  # day 12 + 40


def nik_error_code(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_nik(value)
    return excinfo.value.code


class TestNik:
    def test_valid_male(self):
        assert validate_nik(VALID_MALE) is None

    def test_valid_female_day_plus_40(self):
        assert validate_nik(VALID_FEMALE) is None
        assert validate_nik("5371017101850003") is None  # 31 January, woman

    def test_separators_are_ignored(self):
        assert clean_nik("5371 0112 0590 0001") == VALID_MALE
        assert validate_nik("5371.0112.0590.0001") is None

    @pytest.mark.parametrize("value", ["537101120590001", "53710112059000011", "53710112059000ab", ""])
    def test_bad_length_or_characters(self, value):
        assert nik_error_code(value) == "nik_length"

    def test_bad_month(self):
        assert nik_error_code("5371011213900001") == "nik_date"  # month 13
        assert nik_error_code("5371011200900001") == "nik_date"  # month 00

    def test_day_32(self):
        assert nik_error_code("5371013205900001") == "nik_date"

    def test_day_72(self):
        # 72 - 40 = 32: no such day for a woman either.
        assert nik_error_code("5371017205900001") == "nik_date"

    def test_day_31_in_a_30_day_month(self):
        assert nik_error_code("5371013104900001") == "nik_date"

    def test_serial_0000(self):
        assert nik_error_code("5371011205900000") == "nik_serial"

    def test_zero_region_code(self):
        assert nik_error_code("0071011205900001") == "nik_region"

    def test_non_kupang_prefix_accepted(self):
        # Jakarta Pusat and Kabupaten Kupang: a NIK keeps the region of first registration.
        assert validate_nik("3171011205900001") is None
        assert validate_nik("5301011205900001") is None

    def test_message_is_indonesian(self):
        with pytest.raises(ValidationError) as excinfo:
            validate_nik("123")
        assert "16 angka" in excinfo.value.messages[0]

    def test_masking_keeps_region_and_serial_only(self):
        assert mask_nik(VALID_MALE) == "537101******0001"
        assert "120590" not in mask_nik(VALID_MALE)


class TestPhone:
    @pytest.mark.parametrize(
        "raw",
        ["0812-3456-7890", "081234567890", "6281234567890", "62 812 3456 7890", "+62 812-3456-7890", "+6281234567890", "812 3456 7890"],
    )
    def test_common_forms_normalise_to_e164(self, raw):
        assert normalize_phone(raw) == "+6281234567890"

    @pytest.mark.parametrize("raw", ["abc", "12345", "0812", "+1 555", "0000-0000-0000"])
    def test_garbage_refused(self, raw):
        with pytest.raises(ValidationError) as excinfo:
            normalize_phone(raw)
        assert excinfo.value.code == "phone_invalid"
        assert "0812-3456-7890" in excinfo.value.messages[0]  # the message shows an example

    def test_empty_refused(self):
        with pytest.raises(ValidationError) as excinfo:
            normalize_phone("  ")
        assert excinfo.value.code == "phone_empty"
