"""Checked image uploads: a real image, within the size limit, turned upright by its EXIF
orientation, re-encoded (which also drops location metadata), with a thumbnail; stored on an
``core.models.Attachment`` and served through scoping (serve_attachment)."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:
    from anlan.core.models import Attachment

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
MAX_SIDE = 2560
THUMB_SIDE = 320


@dataclass
class CleanImage:
    image: ContentFile[bytes]
    thumbnail: ContentFile[bytes]


def _jpeg(img: Image.Image, side: int, name: str) -> ContentFile[bytes]:
    copy = img.copy()
    copy.thumbnail((side, side))
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=name)


def clean_image(upload: File[bytes]) -> CleanImage:
    limit = settings.ANLAN_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(_("Each photo may be at most %(mb)s MB.") % {"mb": limit // 2**20})
    try:
        probe = Image.open(upload)
        probe.verify()  # catches truncated and fake files
        upload.seek(0)
        img: Image.Image = Image.open(upload)
        if img.format not in ALLOWED_FORMATS:
            raise ValidationError(_("Unsupported image type: use JPEG or PNG photos."))
        if img.width * img.height > 50_000_000:
            raise ValidationError(_("The image is too large."))
        img = ImageOps.exif_transpose(img).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The file is not a valid image.")) from exc
    stem = uuid.uuid4().hex
    return CleanImage(
        image=_jpeg(img, MAX_SIDE, f"{stem}.jpg"), thumbnail=_jpeg(img, THUMB_SIDE, f"{stem}-t.jpg")
    )


def serve_attachment(attachment: Attachment, size: str) -> FileResponse:
    """An attachment's photo (``full``) or thumbnail (``thumb``), for the browser to keep a
    day. The caller has fetched the attachment through scoping; another size is a 404."""
    if size not in ("full", "thumb"):
        raise Http404
    field = attachment.image if size == "full" else attachment.thumbnail
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
