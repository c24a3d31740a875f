"""Open311 GeoReport v2 for complaints (plain Django views, JSON and XML).

Spec: http://wiki.open311.org/GeoReport_v2 ; our description: docs/open311.yaml.

- ``forms``: the input of each endpoint, validated with the complaint form's rules
  (``pengaduan.forms``: clean text, description length, coordinates in Kupang, incident date);
- ``selectors``: the public list query (only the columns the answer needs, one query per page);
- ``serializers``: JSON/XML representation (XML through ElementTree, control characters removed,
  so every answer is a well-formed document);
- ``views``: thin endpoints.

Submissions through the API are anonymous: personal fields of the spec (email, first_name,
last_name, phone, device_id, account_id) are accepted and ignored, never stored. Public answers
omit the content (description, address, coordinates) of confidential, unverified and rejected
complaints, and never carry the reporter's identity.
"""
