from enum import StrEnum

class MessageContentTextAnnotationsFilePathObjectType(StrEnum):
    FILE_PATH = "file_path"

    def __str__(self) -> str:
        return str(self.value)
