from PIL import Image

from odoo.exceptions import UserError
from odoo.http import DEFAULT_MAX_CONTENT_LENGTH, request
from odoo.tools.image import ImageProcess
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.misc import human_size


class ClaimPhotos:
    """The photo policy of a claim filed from the portal, whatever form files it (the claim
    form of an order, the helpdesk form's claim line): only photos by their content, never
    SVG, each within a size, at most ten; checked before anything is created."""

    _claim_max_attachments = 10
    # photo types every browser displays and Odoo renders; never SVG (it can carry scripts)
    _claim_photo_mimetypes = ("image/jpeg", "image/png", "image/gif", "image/webp")

    def _claim_max_photo_size(self):
        """Bytes one photo may weigh: Odoo's upload limit shared by the photos a claim may
        carry, so that all of them together stay within that limit."""
        # sudo: a system parameter, read as the web client reads it (session_info)
        max_upload = int(
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("web.max_file_upload_size", DEFAULT_MAX_CONTENT_LENGTH)
        )
        return max_upload // self._claim_max_attachments

    def _claim_photos(self):
        """[(file name, bytes, mimetype)] of the uploaded photos, refusing anything that is
        not a photo by its content (whatever type the browser declares) or is too large.
        Raises ValueError with a message for the customer."""
        env = request.env
        uploads = [f for f in request.httprequest.files.getlist("attachment") if f.filename]
        if len(uploads) > self._claim_max_attachments:
            raise ValueError(
                env._("Attach at most %(count)s photos.", count=self._claim_max_attachments)
            )
        max_size = self._claim_max_photo_size()
        photos = []
        for upload in uploads:
            data = upload.read(max_size + 1)
            if len(data) > max_size:
                raise ValueError(
                    env._(
                        "The photo %(file)s is too large: a photo may weigh at most %(size)s.",
                        file=upload.filename,
                        size=human_size(max_size),
                    )
                )
            mimetype = guess_mimetype(data, default="application/octet-stream")
            if mimetype not in self._claim_photo_mimetypes or not self._claim_is_image(data):
                raise ValueError(
                    env._(
                        "Only photos can be attached: %(file)s is not an image.",
                        file=upload.filename,
                    )
                )
            photos.append((upload.filename, data, mimetype))
        return photos

    def _claim_is_image(self, data):
        """Whether Pillow reads the photo, at a resolution Odoo accepts."""
        try:
            ImageProcess(data)
        except (UserError, ValueError, OSError, SyntaxError, Image.DecompressionBombError):
            return False
        return True

    def _claim_create(self, vals, photos):
        """Create the claim of the current portal user with its checked photos.

        sudo: portal users may only read tickets (helpdesk_mgmt creates its tickets the same
        way); the caller checked that the order is the user's own, the values come only from
        it and from the user's partner, and the photos passed ``_claim_photos``."""
        ticket = request.env["helpdesk.ticket"].sudo().create(vals)
        ticket.message_subscribe(partner_ids=request.env.user.partner_id.ids)
        values = [
            {
                "name": name,
                "raw": data,
                # the type read from the content, not the one the browser declared
                "mimetype": mimetype,
                "res_model": "helpdesk.ticket",
                "res_id": ticket.id,
            }
            for name, data, mimetype in photos
        ]
        if values:
            # sudo: attachments of the claim just created for this user (see above)
            request.env["ir.attachment"].sudo().create(values)
        return ticket
