"""Who may download the lists' files: blank forms and samples are published with the lists, for anyone."""

from onezone.core.files import register_file
from onezone.powers.models import ItemMaterial

register_file(ItemMaterial, "blank_form", public=True)
register_file(ItemMaterial, "sample", public=True)
