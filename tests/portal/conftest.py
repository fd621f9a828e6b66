import io
import re
import zipfile

import pytest

from ecogov.portal.lists import LISTS


def xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(
            archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")
        )


def record_ids(html: str, key: str) -> list[str]:
    return re.findall(rf'href="/portal/{key}/(\d+)/"', html)


@pytest.fixture
def everything(client):
    """Every portal page, download and feed the public can reach, as (url, text) pairs: the
    home page, each list (page 1), its CSV, .xlsx and Atom, each record on its first page,
    the draws' files, the verification guide and air quality."""

    def _crawl(extra_query: str = ""):
        seen = []

        def get(url):
            response = client.get(url)
            assert response.status_code == 200, url
            if url.endswith("xlsx/") or "xlsx/?" in url:
                text = xlsx_text(response.content)
            else:
                text = response.content.decode("utf-8")
            seen.append((url, text))
            return text

        for url in ("/portal/", "/portal/draws/verify/", "/portal/airquality/?year=2020"):
            get(url)
        for item in LISTS:
            base = f"/portal/{item.key}/"
            html = get(base + extra_query)
            for suffix in ("csv/", "xlsx/", "atom/"):
                get(base + suffix + extra_query)
            for pk in record_ids(html, item.key):
                get(f"{base}{pk}/")
                if item.key == "draws":
                    get(f"/portal/draws/{pk}/input.txt")
                    get(f"/portal/draws/{pk}/result.txt")
                if item.key == "reports":
                    get(f"/portal/reports/{pk}/text/")
        return seen

    return _crawl
