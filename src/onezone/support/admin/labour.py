"""Back-office admin of this area; every save goes through the area's services."""
