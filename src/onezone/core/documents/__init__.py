"""Official documents: the 公文 layout (GB/T 9704-2012) every generated .docx and PDF follows, the
record of each issued document with its verification code, signing and verification.

- ``gongwen``: the content of a document (blocks) and its layout rules, written once;
- ``docx``: the .docx writer (python-docx), ``pdf``: the PDF writer (reportlab, with the QR code);
- ``signing``: the zone's PKCS#12 key signs the PDF (pyHanko) where one is configured;
- ``models``, ``services``, ``selectors``: the issued-document record, issuing, the public check.
"""
