import cv2  # noqa: F401  (the rival; installed by the dev extra)
