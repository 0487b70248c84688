//! Stored files (the award's entry files) behind the `object_store` interface: a local folder
//! by default (`./data/files`), any S3-compatible store in production. Uploads stream through
//! in bounded parts. What a file may be is its owner's rule (`awards::file_types`).

use bytes::Bytes;
use object_store::path::Path as StorePath;
use object_store::{GetOptions, GetRange, GetResult, ObjectStore, ObjectStoreExt, WriteMultipart};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
}

/// The first bytes of every upload are kept for its owner to check the content type by its
/// magic bytes: enough for every common format.
pub const HEAD_BYTES: usize = 4096;

/// An upload in progress: parts go to the store as they fill, so memory holds at most a few
/// parts however large the file. Dropped without `finish`, nothing is left behind
/// (`abort` removes what was written).
pub struct Upload {
    writer: WriteMultipart,
    pub bytes: u64,
    pub head: Vec<u8>,
}

/// Parts in flight per upload: with 5 MB parts, about 15 MB of memory per upload at most.
const PARTS_IN_FLIGHT: usize = 2;

impl Upload {
    pub async fn write(&mut self, chunk: Bytes) -> object_store::Result<()> {
        if self.head.len() < HEAD_BYTES {
            let take = (HEAD_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.bytes += chunk.len() as u64;
        // Back-pressure: wait for the store before taking more from the network.
        self.writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
        self.writer.put(chunk);
        Ok(())
    }

    pub async fn finish(self) -> object_store::Result<()> {
        self.writer.finish().await.map(|_| ())
    }

    pub async fn abort(self) {
        if let Err(e) = self.writer.abort().await {
            tracing::warn!(error = %e, "could not abort an upload");
        }
    }
}

impl FileStore {
    /// Files under `dir` on local disk.
    pub fn local(dir: &std::path::Path) -> std::io::Result<FileStore> {
        std::fs::create_dir_all(dir)?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir).map_err(std::io::Error::other)?;
        Ok(FileStore { store: Arc::new(store) })
    }

    /// An S3-compatible bucket. Credentials come from the environment as for any S3 client
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optionally `AWS_SESSION_TOKEN`), never
    /// from the configuration file. `endpoint`: the store's address when it is not Amazon's
    /// (MinIO, Ceph, a cloud provider's S3); plain `http://` is allowed only for such an
    /// endpoint on a private network. `key`: an access key given in the configuration instead.
    pub fn s3(bucket: &str, endpoint: Option<&str>, region: &str, key: Option<(&str, &str)>) -> object_store::Result<FileStore> {
        let mut builder = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket).with_region(region);
        if let Some((id, secret)) = key {
            builder = builder.with_access_key_id(id).with_secret_access_key(secret);
        }
        if let Some(endpoint) = endpoint.filter(|e| !e.is_empty()) {
            builder = builder.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://")).with_virtual_hosted_style_request(false);
        }
        Ok(FileStore { store: Arc::new(builder.build()?) })
    }

    /// Any other store (in memory for tests).
    pub fn new(store: Arc<dyn ObjectStore>) -> FileStore {
        FileStore { store }
    }

    pub async fn begin(&self, key: &str) -> object_store::Result<Upload> {
        let upload = self.store.put_multipart(&StorePath::from(key)).await?;
        Ok(Upload { writer: WriteMultipart::new(upload), bytes: 0, head: Vec::with_capacity(HEAD_BYTES) })
    }

    /// The object, or the byte range `start..end` of it.
    pub async fn get(&self, key: &str, range: Option<std::ops::Range<u64>>) -> object_store::Result<GetResult> {
        let options = GetOptions { range: range.map(GetRange::Bounded), ..Default::default() };
        self.store.get_opts(&StorePath::from(key), options).await
    }

    pub async fn size(&self, key: &str) -> object_store::Result<u64> {
        Ok(self.store.head(&StorePath::from(key)).await?.size)
    }

    pub async fn delete(&self, key: &str) -> object_store::Result<()> {
        self.store.delete(&StorePath::from(key)).await
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> object_store::Result<()> {
        self.store.put(&StorePath::from(key), bytes.into()).await.map(|_| ())
    }
}
