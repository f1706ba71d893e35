"""The TOTP algorithm against the published test vectors, the drift window, replay, and sealing at rest."""

import hashlib

import pytest

from xiaobao.units import totp

# RFC 4226 Appendix D: HOTP of the ASCII secret "12345678901234567890", counters 0..9, 6 digits.
RFC4226 = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]

# RFC 6238 Appendix B: time, then the 8-digit TOTP for SHA-1, SHA-256 and SHA-512 (X = 30 s, T0 = 0).
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
SEEDS = {hashlib.sha1: b"12345678901234567890", hashlib.sha256: b"12345678901234567890123456789012",
         hashlib.sha512: b"1234567890" * 6 + b"1234"}


def test_hotp_matches_rfc_4226():
    assert [totp.hotp(b"12345678901234567890", c) for c in range(10)] == RFC4226


@pytest.mark.parametrize(("at", "sha1", "sha256", "sha512"), RFC6238)
def test_totp_matches_rfc_6238(at, sha1, sha256, sha512):
    for digest, expected in ((hashlib.sha1, sha1), (hashlib.sha256, sha256), (hashlib.sha512, sha512)):
        assert totp.totp(SEEDS[digest], at, digits=8, digest=digest) == expected


SECRET = totp.new_secret()
NOW = 1_800_000_015.0  # 15 s into a step


def code_at(t: float) -> str:
    return totp.totp(totp.secret_bytes(SECRET), t)


def test_a_new_secret_is_160_bits_of_base32():
    assert len(SECRET) == 32 and len(totp.secret_bytes(SECRET)) == 20 and SECRET != totp.new_secret()


def test_one_step_of_drift_either_side_is_accepted_and_two_are_not():
    step = totp.step_at(NOW)
    assert totp.matching_step(SECRET, code_at(NOW), NOW) == step
    assert totp.matching_step(SECRET, code_at(NOW - 30), NOW) == step - 1
    assert totp.matching_step(SECRET, code_at(NOW + 30), NOW) == step + 1
    assert totp.matching_step(SECRET, code_at(NOW - 60), NOW) is None
    assert totp.matching_step(SECRET, code_at(NOW + 60), NOW) is None


def test_a_code_is_not_accepted_twice_nor_an_older_one_after_it():
    step = totp.matching_step(SECRET, code_at(NOW), NOW)
    assert totp.matching_step(SECRET, code_at(NOW), NOW, after_step=step) is None
    assert totp.matching_step(SECRET, code_at(NOW - 30), NOW, after_step=step) is None
    assert totp.matching_step(SECRET, code_at(NOW + 30), NOW + 30, after_step=step) == step + 1


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", None])
def test_malformed_codes_are_refused(bad):
    assert totp.matching_step(SECRET, bad, NOW) is None


def test_a_code_typed_with_a_space_is_accepted():
    code = code_at(NOW)
    assert totp.matching_step(SECRET, f"{code[:3]} {code[3:]}", NOW) is not None


def test_the_uri_names_the_issuer_account_and_parameters():
    uri = totp.otpauth_uri("JBSWY3DPEHPK3PXP", "juzhang", "消保")
    assert uri.startswith("otpauth://totp/%E6%B6%88%E4%BF%9D%3Ajuzhang?secret=JBSWY3DPEHPK3PXP")
    assert "algorithm=SHA1" in uri and "digits=6" in uri and "period=30" in uri


def test_a_sealed_secret_does_not_show_it_opens_with_the_key_or_a_fallback_and_not_when_tampered(settings):
    sealed = totp.seal(SECRET)
    assert SECRET not in sealed and totp.unseal(sealed) == SECRET
    assert totp.seal(SECRET) != sealed  # a fresh nonce each time
    tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    assert totp.unseal(tampered) is None
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + "x" * 40
    assert totp.unseal(sealed) is None
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert totp.unseal(sealed) == SECRET
