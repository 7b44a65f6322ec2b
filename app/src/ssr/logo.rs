//! Project logos (seed 004): an upload is decoded, checked and re-encoded here as a PNG of at
//! most 256 × 256 pixels, so what is served is what was checked, never the uploaded bytes.

use image::{ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// The largest upload accepted (seed 004 sets no figure; issue 12 does).
pub const MAX_BYTES: usize = 512 * 1024;
/// Logos are shown small; larger images are scaled down to fit.
const MAX_SIDE: u32 = 256;

/// A checked logo: the PNG to serve and its ETag.
#[derive(Debug)]
pub struct Logo {
    pub png: Vec<u8>,
    pub etag: String,
}

/// Decodes an uploaded PNG, JPEG or WebP image and re-encodes it; anything else is refused
/// with the reason in words.
pub fn process(bytes: &[u8]) -> Result<Logo, String> {
    if bytes.is_empty() {
        return Err("Choose an image file to upload.".into());
    }
    if bytes.len() > MAX_BYTES {
        return Err(format!(
            "This image is {} KB; a logo may be at most {} KB.",
            bytes.len().div_ceil(1024),
            MAX_BYTES / 1024
        ));
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    if head.contains("<svg") || head.trim_start().starts_with("<?xml") {
        return Err(
            "SVG logos are not accepted (a drawing can carry scripts): upload PNG, JPEG or WebP."
                .into(),
        );
    }
    let format = image::guess_format(bytes)
        .ok()
        .filter(|f| matches!(f, ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP))
        .ok_or("Upload a PNG, JPEG or WebP image.")?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // A small file can claim a huge picture; refuse before allocating it.
    let mut limits = Limits::default();
    limits.max_image_width = Some(4096);
    limits.max_image_height = Some(4096);
    limits.max_alloc = Some(64 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| {
        "This image could not be read: it may be damaged, or larger than 4096 × 4096 pixels."
    })?;
    let image = if image.width() > MAX_SIDE || image.height() > MAX_SIDE {
        image.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        image
    };
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| "This image could not be converted.")?;
    let digest = Sha256::digest(&png);
    let etag = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Ok(Logo { png, etag })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, RgbaImage};

    fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let image = DynamicImage::ImageRgba8(RgbaImage::from_pixel(
            width,
            height,
            image::Rgba([31, 95, 191, 255]),
        ));
        let image = if format == ImageFormat::Jpeg {
            DynamicImage::ImageRgb8(image.to_rgb8())
        } else {
            image
        };
        let mut out = Vec::new();
        image.write_to(&mut Cursor::new(&mut out), format).unwrap();
        out
    }

    #[test]
    fn png_jpeg_and_webp_become_a_small_png() {
        for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP] {
            let logo = process(&encoded(600, 300, format)).unwrap();
            assert_eq!(image::guess_format(&logo.png).unwrap(), ImageFormat::Png);
            let back = image::load_from_memory(&logo.png).unwrap();
            assert_eq!((back.width(), back.height()), (256, 128), "{format:?}");
            assert_eq!(logo.etag.len(), 16);
        }
    }

    #[test]
    fn svg_junk_empty_and_oversized_uploads_are_refused() {
        let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert!(process(svg).unwrap_err().contains("SVG"));
        assert!(process(b"<svg onload=alert(1)>")
            .unwrap_err()
            .contains("SVG"));
        assert!(process(b"GIF89a....")
            .unwrap_err()
            .contains("PNG, JPEG or WebP"));
        assert!(process(b"").unwrap_err().contains("Choose"));
        let big = vec![0u8; MAX_BYTES + 1];
        assert!(process(&big).unwrap_err().contains("at most 512 KB"));
        // A PNG header with a body cut off.
        let png = encoded(64, 64, ImageFormat::Png);
        assert!(process(&png[..png.len() / 2])
            .unwrap_err()
            .contains("could not be read"));
    }

    #[test]
    fn a_huge_picture_in_a_small_file_is_refused_before_it_is_decoded() {
        // 5000 × 5000 pixels of one colour compress to a few KB.
        let mut bomb = Vec::new();
        let encoder = image::codecs::png::PngEncoder::new(&mut bomb);
        let row = vec![0u8; 5_000];
        let data: Vec<u8> = (0..5_000).flat_map(|_| row.iter().copied()).collect();
        image::ImageEncoder::write_image(
            encoder,
            &data,
            5_000,
            5_000,
            image::ExtendedColorType::L8,
        )
        .unwrap();
        assert!(bomb.len() < MAX_BYTES, "{}", bomb.len());
        assert!(process(&bomb).unwrap_err().contains("4096"));
    }
}
