from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def attachment_path(instance, filename):
    # content-addressed: the same file uploaded twice is stored once per record kind
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class AttachmentFieldFile(FieldFile):
    @property
    def url(self):
        # never the storage's /media/ address: the guarded download, scoped and served with
        # Content-Disposition: attachment and nosniff (docs/security.md, "上传与下载")
        return reverse("ecogov-attachment-download", args=[self.instance.pk])


class AttachmentFileField(models.FileField):
    """A FileField whose `.url` (the admin's link) is the guarded download view."""

    attr_class = AttachmentFieldFile

    def deconstruct(self):  # stored as a plain FileField: no migration, same column
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs


class Attachment(models.Model):
    """A file carried by any record. Written only by `services.attachment_add`."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    file = AttachmentFileField(_("文件"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    media_type = models.CharField(_("类型"), max_length=128, blank=True)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    description = models.CharField(_("说明"), max_length=256, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.original_name
